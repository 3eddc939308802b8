import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nps.models import Invitation
from placements import importer
from placements.models import Client, Contact, Placement, PlacementImport
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "klant;hiring_manager;e-mail;taal;recruiter;kandidaat;functie;startdatum;extern_id"


def _csv(recruiter, rows, header=HEADER, sep=";"):
    lines = [header.replace(";", sep)]
    for row in rows:
        lines.append(sep.join(row))
    return "\r\n".join(lines) + "\r\n"


def _row(recruiter, n=1, **overrides):
    values = {
        "client": "Acme B.V.",
        "name": "Zoë de Vries",
        "email": f"zoe{n}@acme.nl",
        "lang": "nl",
        "rec": recruiter.email,
        "candidate": "Ruud van 't Hoff",
        "job": "Monteur",
        "start": "01-09-2026",
        "ext": f"R{n}",
    } | overrides
    return list(values.values())


def _parse(content: bytes, organisation):
    return importer.parse(content, organisation=organisation)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [";", ","])
def test_dutch_names_read_correctly_in_every_encoding_and_delimiter(recruiter, organisation, encoding, sep):
    content = _csv(recruiter, [_row(recruiter)], sep=sep).encode(encoding)
    result = _parse(content, organisation)
    assert result.errors == []
    row = result.rows[0]
    assert row["hiring_manager_name"] == "Zoë de Vries"
    assert row["candidate_name"] == "Ruud van 't Hoff"
    assert row["start_date"].isoformat() == "2026-09-01"


def test_missing_columns_are_named(organisation):
    result = _parse(b"klant;kandidaat\nAcme;Jan\n", organisation)
    assert not result.ok
    assert "hiring_manager_name" in result.errors[0][1] and "start_date" in result.errors[0][1]


def test_every_rows_errors_are_listed_before_anything_is_saved(recruiter, organisation):
    rows = [
        _row(recruiter, 1, email="not-an-email"),
        _row(recruiter, 2, rec="ghost@acme.nl"),
        _row(recruiter, 3, ext="DUP"),
        _row(recruiter, 4, ext="DUP"),
        _row(recruiter, 5, start="2026-02-30"),
        _row(recruiter, 6, lang="fr"),
        _row(recruiter, 7),
    ]
    result = _parse(_csv(recruiter, rows).encode(), organisation)
    rows_with_errors = {number for number, _message in result.errors}
    assert rows_with_errors == {2, 3, 5, 6, 7}
    messages = " ".join(message for _n, message in result.errors)
    assert "not-an-email" in messages and "ghost@acme.nl" in messages and "rij 4" in messages
    assert not Placement.objects.exists()


def test_a_large_file_is_refused_with_a_clear_message(organisation):
    result = _parse(b"a" * (50 * 1024 * 1024), organisation)
    assert "groter dan 5 MB" in result.errors[0][1]


def test_a_binary_file_is_refused(organisation):
    result = _parse(bytes(range(256)) * 10, organisation)
    assert "geen leesbaar CSV" in result.errors[0][1]


def test_formulas_are_stored_as_text(recruiter, organisation):
    formula = '=HYPERLINK("http://evil.example","klik")'
    rows = [_row(recruiter, candidate=formula.replace(";", ","))]
    result = _parse(_csv(recruiter, rows).encode(), organisation)
    assert result.ok
    importer.import_rows(organisation=organisation, rows=result.rows)
    assert Placement.objects.get().candidate_name == formula.replace(";", ",")


def test_import_is_all_or_nothing_and_upserts_by_external_id(recruiter, organisation):
    rows = [_row(recruiter, n) for n in range(1, 4)]
    result = _parse(_csv(recruiter, rows).encode(), organisation)
    importer.import_rows(organisation=organisation, rows=result.rows)
    importer.import_rows(organisation=organisation, rows=result.rows)
    assert Placement.objects.count() == 3
    assert Client.objects.count() == 1 and Contact.objects.count() == 3


def test_closed_rows_schedule_their_surveys(recruiter, organisation):
    factories.make_default_survey(organisation=organisation, user=recruiter)
    header = HEADER + ";status"
    rows = [_row(recruiter, 1) + ["afgesloten"], _row(recruiter, 2) + ["open"]]
    result = _parse(_csv(recruiter, rows, header=header).encode(), organisation)
    importer.import_rows(organisation=organisation, rows=result.rows)
    assert Invitation.objects.count() == 1


def test_an_xlsx_file_is_read(recruiter, organisation):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(_row(recruiter))
    buffer = io.BytesIO()
    book.save(buffer)
    result = _parse(buffer.getvalue(), organisation)
    assert result.errors == []
    assert result.rows[0]["hiring_manager_name"] == "Zoë de Vries"


def test_the_browser_flow_previews_then_imports(recruiter_client, recruiter, organisation):
    content = _csv(recruiter, [_row(recruiter, 1), _row(recruiter, 2)]).encode("cp1252")
    upload = SimpleUploadedFile("plaatsingen.csv", content, content_type="text/csv")
    response = recruiter_client.post(reverse("placements:import"), {"file": upload})
    preview_url = response["Location"]
    page = recruiter_client.get(preview_url).content.decode()
    assert "2 rijen zijn klaar voor import" in page and "Zoë de Vries" in page
    assert not Placement.objects.exists()
    response = recruiter_client.post(preview_url)
    assert response.status_code == 302
    assert Placement.objects.count() == 2
    assert PlacementImport.objects.get().imported_rows == 2
    recruiter_client.post(preview_url)
    assert Placement.objects.count() == 2


def test_a_file_with_errors_imports_nothing_on_confirm(recruiter_client, recruiter):
    content = _csv(recruiter, [_row(recruiter, 1), _row(recruiter, 2, email="bad")]).encode()
    response = recruiter_client.post(reverse("placements:import"), {"file": SimpleUploadedFile("p.csv", content)})
    response = recruiter_client.post(response["Location"])
    assert response.status_code == 200
    assert "Er is niets geïmporteerd" in response.content.decode()
    assert not Placement.objects.exists()


def test_another_users_upload_is_404(recruiter_client, other_recruiter_client, recruiter):
    content = _csv(recruiter, [_row(recruiter, 1)]).encode()
    response = recruiter_client.post(reverse("placements:import"), {"file": SimpleUploadedFile("p.csv", content)})
    assert other_recruiter_client.get(response["Location"]).status_code == 404
