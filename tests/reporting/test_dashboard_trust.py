"""A team lead can trust the dashboard: small topic groups are not ranked, every count says what it counts,
the last 12 months are 12 months, and the Excel export keeps dates as dates, in Dutch."""

import csv
import datetime
import io
from unittest import mock

import openpyxl
import pytest
from django.urls import reverse

from nps.models import Answer
from reporting import selectors as dashboard
from tests.reporting.test_dashboard import _data, scores  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_topic_with_few_answers_is_greyed_and_never_leads_weakest_first(team_lead_client, scores):  # noqa: F811
    # One topic keeps a single answer, and a low one: it must not head the ranking above topics with 11.
    answers = Answer.objects.order_by("pk")
    lonely_topic = answers.first().topic_id
    Answer.objects.filter(topic_id=lonely_topic).exclude(pk=answers.first().pk).delete()
    Answer.objects.filter(pk=answers.first().pk).update(score=1)
    from reporting.summaries import summaries_rebuild

    summaries_rebuild()
    topics = _data(team_lead_client)["topics"]
    lonely = next(t for t in topics if t["id"] == lonely_topic)
    assert lonely["small"] and not lonely.get("weak") and lonely["answers"] == 1
    assert topics[-1]["id"] == lonely_topic
    assert all(not t["small"] for t in topics if t.get("weak"))
    page = team_lead_client.get(reverse("reporting:dashboard")).content.decode()
    assert "1 score" in page and "minder dan 5 scores zijn grijs" in page


def test_every_count_says_what_it_counts(team_lead_client, scores):  # noqa: F811
    page = team_lead_client.get(reverse("reporting:dashboard")).content.decode()
    assert "5 antwoorden ontvangen in deze periode" in page
    assert "Van de 5 enquêtes die in deze periode zijn verstuurd, zijn er 5 beantwoord." in page


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (datetime.date(2026, 12, 3), datetime.date(2025, 12, 4)),
        (datetime.date(2026, 3, 31), datetime.date(2025, 4, 1)),
        (datetime.date(2028, 2, 29), datetime.date(2027, 3, 1)),
    ],
)
def test_the_last_12_months_are_the_12_months_back_from_today(today, start):
    with mock.patch("reporting.selectors.timezone.localdate", return_value=today):
        last_12 = dashboard.parse_filters({"period": "12m"})
        this_year = dashboard.parse_filters({"period": "year"})
    assert (last_12.start, last_12.end) == (start, today)
    assert (last_12.start, last_12.end) != (this_year.start, this_year.end)


def test_the_excel_export_keeps_dates_as_dates_and_speaks_dutch(team_lead_client, scores):  # noqa: F811
    response = team_lead_client.get(reverse("reporting:export_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    completed = sheet.cell(row=2, column=1).value
    assert isinstance(completed, datetime.datetime)
    values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert {"Online", "Promotor", "Criticaster"} <= values
    assert not values & {"online", "phone", "promoter", "passive", "detractor"}


def test_the_csv_export_speaks_dutch_too(team_lead_client, scores):  # noqa: F811
    text = b"".join(team_lead_client.get(reverse("reporting:export_csv")).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = {cell for row in rows[1:] for cell in row}
    assert "Promotor" in cells and "promoter" not in cells and "online" not in cells
