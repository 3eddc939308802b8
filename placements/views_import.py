"""Import placements from CSV or XLSX: upload, preview with every row's errors, then all or nothing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import STAFF_ROLES, role_required
from placements import importer
from placements.models import PlacementImport

PREVIEW_ROWS = 20
SHOWN_ERRORS = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy("At most 5 MB. The first row names the columns."),
    )


@role_required(*STAFF_ROLES)
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importer.MAX_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(mb)d MB. Split it into smaller files.")
                % {"mb": importer.MAX_BYTES // (1024 * 1024)},
            )
        else:
            stored = PlacementImport.objects.create(
                organisation=request.user.organisation,
                uploaded_by=request.user,
                filename=upload.name[:200],
                content=upload.read(),
            )
            return redirect("placements:import_preview", stored.pk)
    return render(
        request,
        "placements/import_upload.html",
        {"form": form, "columns": importer.COLUMNS, "required": importer.REQUIRED},
    )


@role_required(*STAFF_ROLES)
def import_preview(request, pk):
    stored = get_object_or_404(PlacementImport, pk=pk, uploaded_by=request.user)
    if stored.imported_at:
        messages.info(request, _("This file was already imported."))
        return redirect("nps:placement_list")
    result = importer.parse(bytes(stored.content), organisation=request.user.organisation)
    if request.method == "POST":
        placements = None
        if result.ok:
            try:
                placements = importer.import_rows(organisation=request.user.organisation, rows=result.rows)
            except ValidationError as error:  # changed since the preview (another import, an edit)
                result.errors.extend((0, message) for message in error.messages)
        if placements is not None:
            PlacementImport.objects.filter(pk=stored.pk, imported_at__isnull=True).update(
                imported_at=timezone.now(), imported_rows=len(placements), content=b""
            )
            messages.success(request, _("%(count)d placements imported.") % {"count": len(placements)})
            return redirect("nps:placement_list")
        messages.error(request, _("Nothing was imported: correct the errors below and upload the file again."))
    context = {
        "stored": stored,
        "result": result,
        "preview": result.rows[:PREVIEW_ROWS],
        "errors": result.errors[:SHOWN_ERRORS],
        "more_errors": max(0, len(result.errors) - SHOWN_ERRORS),
    }
    return render(request, "placements/import_preview.html", context)
