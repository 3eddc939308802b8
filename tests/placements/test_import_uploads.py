"""Uploaded import files keep nothing they should not: only the columns the import reads, and only as long
as the preview waits for a decision."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from nps.services import privacy
from placements import importer, services
from placements.models import Placement, PlacementImport
from placements.tasks import imports_clear_abandoned
from tests.placements.test_import import HEADER, _csv, _row

pytestmark = pytest.mark.django_db

SECRET_COLUMNS = ";bsn;salaris;geboortedatum"
SECRETS = ["123456782", "4850", "1990-04-01"]


def _upload(client, content: bytes, name="plaatsingen.csv"):
    return client.post(reverse("placements:import"), {"file": SimpleUploadedFile(name, content)})


def _with_secrets(recruiter, **overrides):
    return _csv(recruiter, [[*_row(recruiter, **overrides), *SECRETS]], header=HEADER + SECRET_COLUMNS).encode()


def test_only_the_columns_the_import_reads_are_stored(recruiter_client, recruiter):
    response = _upload(recruiter_client, _with_secrets(recruiter))
    assert response.status_code == 302
    stored = bytes(PlacementImport.objects.get().content).decode()
    for secret in [*SECRETS, "bsn", "salaris"]:
        assert secret not in stored
    assert "Ruud van 't Hoff" in stored and "zoe1@acme.nl" in stored


def test_an_xlsx_upload_keeps_only_the_used_columns_too(recruiter_client, recruiter):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HEADER.split(";"), "bsn"])
    sheet.append([*_row(recruiter)[:-2], datetime.date(2026, 9, 1), "R1", "123456782"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _upload(recruiter_client, buffer.getvalue(), "p.xlsx").status_code == 302
    stored = bytes(PlacementImport.objects.get().content).decode()
    assert "123456782" not in stored and "2026-09-01" in stored


def test_a_confirmed_import_keeps_the_record_but_not_the_file(recruiter_client, recruiter):
    _upload(recruiter_client, _with_secrets(recruiter))
    stored = PlacementImport.objects.get()
    recruiter_client.post(reverse("placements:import_preview", args=[stored.pk]))
    stored.refresh_from_db()
    assert stored.imported_at and stored.imported_rows == 1 and bytes(stored.content) == b""
    assert Placement.objects.count() == 1


def test_a_refused_import_is_deleted_at_once(recruiter_client, recruiter):
    _upload(recruiter_client, _with_secrets(recruiter, email="not an address"))
    stored = PlacementImport.objects.get()
    page = recruiter_client.get(reverse("placements:import_preview", args=[stored.pk])).content.decode()
    assert "not an address" in page
    assert not PlacementImport.objects.exists()
    again = recruiter_client.get(reverse("placements:import_preview", args=[stored.pk]), follow=True)
    assert "Dat bestand wordt niet meer bewaard" in again.content.decode()


def test_a_file_that_cannot_be_imported_at_all_is_refused_on_upload_and_never_stored(recruiter_client):
    response = _upload(recruiter_client, b"klant;kandidaat\nAcme;Jan\n")
    assert response.status_code == 200
    assert "Ontbrekende kolommen" in response.content.decode()
    assert not PlacementImport.objects.exists()


def test_abandoned_previews_are_deleted_after_24_hours(recruiter_client, recruiter):
    _upload(recruiter_client, _with_secrets(recruiter))
    _upload(recruiter_client, _with_secrets(recruiter, n=2))
    old, fresh = PlacementImport.objects.order_by("pk")
    PlacementImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert imports_clear_abandoned.apply().get() == 1
    assert list(PlacementImport.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_the_cleanup_is_in_the_beat_schedule():
    from evalportal.celery import app

    assert app.conf.beat_schedule["imports-clear-abandoned"]["task"] == "placements.imports_clear_abandoned"


def test_a_waiting_upload_is_in_the_persons_export_and_goes_with_the_erasure(recruiter_client, recruiter, organisation):
    _upload(recruiter_client, _with_secrets(recruiter, email="Fleur.dHondt@smit.nl"))
    data = privacy.personal_data_export(organisation=organisation, email="fleur.dhondt@smit.nl")
    (pending,) = data["pending_imports"]
    assert pending["filename"] == "plaatsingen.csv"
    assert pending["rows"][0]["candidate_name"] == "Ruud van 't Hoff"
    counts = privacy.personal_data_erase(organisation=organisation, email="fleur.dhondt@smit.nl")
    assert counts["pending_imports"] == 1
    assert not PlacementImport.objects.exists()


@pytest.mark.parametrize(
    ("header", "named"),
    [
        (HEADER + ";klant", "klant"),
        (HEADER.replace("e-mail", "email") + ";e-mail", "email, e-mail"),
    ],
)
def test_a_repeated_column_is_refused_naming_it(recruiter_client, recruiter, header, named):
    content = _csv(recruiter, [[*_row(recruiter), "x"]], header=header).encode()
    with pytest.raises(importer.FileRefused) as refused:
        importer.used_columns(content)
    assert named in str(refused.value)
    page = _upload(recruiter_client, content).content.decode()
    assert named in page
    assert not PlacementImport.objects.exists()


def test_the_service_stores_nothing_when_the_file_is_refused(recruiter):
    with pytest.raises(importer.FileRefused):
        services.import_upload(user=recruiter, filename="x.csv", content=b"")
    assert not PlacementImport.objects.exists()
