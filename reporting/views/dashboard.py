"""The NPS dashboard, the responses behind each figure, and the exports."""

import csv
import datetime
import io
import itertools
import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import STAFF_ROLES, role_required
from reporting import selectors
from reporting.exports import export_rows
from surveys.models import Dimension


@role_required(*STAFF_ROLES)
def dashboard_view(request):
    filters = selectors.parse_filters(request.GET)
    data = selectors.dashboard_data(user=request.user, filters=filters)
    chart = {
        "labels": [m["month"].strftime("%Y-%m") for m in data["months"]],
        "nps": [m["nps"] for m in data["months"]],
        "responses": [m["responses"] for m in data["months"]],
        "strong": 40,
        "npsLabel": _("Client NPS"),
        "responsesLabel": _("Responses"),
        "strongLabel": _("Strong (+40)"),
    }
    context = {
        "filters": filters,
        "data": data,
        "chart": chart,
        "choices": selectors.filter_choices(user=request.user),
        "dimension_labels": [label for _v, label in Dimension.choices],
        "min_group": selectors.MIN_GROUP,
        "active_filters": sum(1 for key in selectors.NARROWING if getattr(filters, key)),
        "min_drivers": selectors.MIN_DRIVERS,
        "max_group_rows": selectors.MAX_GROUP_ROWS,
        "query": filters.query(),
    }
    return render(request, "reporting/dashboard.html", context)


@role_required(*STAFF_ROLES)
def response_list(request):
    filters = selectors.parse_filters(request.GET)
    category = (
        request.GET.get("category") if request.GET.get("category") in ("promoters", "passives", "detractors") else None
    )
    topic = selectors._int(request.GET.get("topic"))
    responses = selectors.response_list(user=request.user, filters=filters, category=category, topic=topic)
    page = Paginator(responses.prefetch_related("answers__version_topic"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/response_list.html",
        {
            "page": page,
            "filters": filters,
            "category": category,
            "query": filters.query(category=category, topic=topic),
        },
    )


def _filename(extension: str) -> str:
    return f"evalportal-antwoorden-{timezone.localdate().isoformat()}.{extension}"


@role_required(*STAFF_ROLES)
def export_csv(request):
    filters = selectors.parse_filters(request.GET)
    rows = export_rows(selectors.response_list(user=request.user, filters=filters))
    response = StreamingHttpResponse(_csv_chunks(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def _csv_chunks(rows, size: int = 1000):
    """The CSV text in pieces of `size` rows (one piece per row costs more than writing it), after a
    BOM so Excel opens the UTF-8 correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    buffer.write("\ufeff")
    for batch in itertools.batched(rows, size):
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


@role_required(*STAFF_ROLES)
def export_xlsx(request):
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    filters = selectors.parse_filters(request.GET)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(_("Responses"))
    for row in export_rows(selectors.response_list(user=request.user, filters=filters), dates_as_text=False):
        if isinstance(row[0], datetime.datetime):
            completed = WriteOnlyCell(sheet, value=row[0])
            completed.number_format = "dd-mm-yyyy hh:mm"
            row[0] = completed
        sheet.append(row)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    book.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
