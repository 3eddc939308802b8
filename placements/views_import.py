"""Import placements from CSV or XLSX: upload, preview with every row's errors, then all or nothing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import STAFF_ROLES, role_required
from placements import importer, services
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
            try:
                stored = services.import_upload(user=request.user, filename=upload.name, content=upload.read())
            except importer.FileRefused as refused:
                form.add_error("file", str(refused))
            else:
                return redirect("placements:import_preview", stored.pk)
    return render(
        request,
        "placements/import_upload.html",
        {"form": form, "columns": importer.COLUMNS, "required": importer.REQUIRED},
    )


@role_required(*STAFF_ROLES)
def import_preview(request, pk):
    stored = PlacementImport.objects.filter(pk=pk).first()
    if stored is None:  # refused, imported or abandoned: the upload is not kept
        messages.info(request, _("That upload is no longer kept. Upload the file again."))
        return redirect("placements:import")
    if stored.uploaded_by_id != request.user.pk:
        raise Http404
    if stored.imported_at:
        messages.info(request, _("This file was already imported."))
        return redirect("placements:placement_list")
    result = importer.parse(bytes(stored.content), organisation=request.user.organisation)
    if request.method == "POST":
        placements = None
        if result.ok:
            try:
                placements = importer.import_rows(organisation=request.user.organisation, rows=result.rows)
            except ValidationError as error:  # changed since the preview (another import, an edit)
                result.errors.extend((0, message) for message in error.messages)
        if placements is not None:
            services.import_done(stored=stored, rows=len(placements))
            messages.success(request, _("%(count)d placements imported.") % {"count": len(placements)})
            return redirect("placements:placement_list")
        messages.error(request, _("Nothing was imported: correct the errors below and upload the file again."))
    if result.errors:
        services.import_refused(stored=stored)  # the page below shows the problems; the upload is not kept
    context = {
        "stored": stored,
        "result": result,
        "preview": result.rows[:PREVIEW_ROWS],
        "errors": result.errors[:SHOWN_ERRORS],
        "more_errors": max(0, len(result.errors) - SHOWN_ERRORS),
    }
    return render(request, "placements/import_preview.html", context)


@role_required(*STAFF_ROLES)
def candidates_import(request):
    """Vacancies and their introduced candidates from CSV or XLSX: checked whole, then all rows or none. The
    file is not kept."""
    from placements import applicants_import

    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importer.MAX_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(mb)d MB. Split it into smaller files.")
                % {"mb": importer.MAX_BYTES // (1024 * 1024)},
            )
        else:
            vacancies, candidates, errors = applicants_import.import_file(
                organisation=request.user.organisation, content=upload.read()
            )
            if not errors:
                messages.success(
                    request,
                    _("%(candidates)d candidates imported for %(vacancies)d vacancies.")
                    % {"candidates": candidates, "vacancies": vacancies},
                )
                return redirect("reporting:closure")
            messages.error(request, _("Nothing was imported: correct the errors below and upload the file again."))
    context = {
        "form": form,
        "errors": errors[:SHOWN_ERRORS],
        "more_errors": max(0, len(errors) - SHOWN_ERRORS),
        "columns": applicants_import.COLUMNS,
        "required": applicants_import.REQUIRED,
    }
    return render(request, "placements/candidates_import.html", context, status=400 if errors else 200)
