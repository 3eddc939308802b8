"""Export rows: one per response, topics as columns, formulas neutralised."""

import itertools

from django.utils import timezone
from django.utils.translation import gettext as _

from nps.models import Answer, Response
from nps.scoring import DETRACTOR, PASSIVE, PROMOTER, category
from surveys.models import SurveyVersionTopic

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(value):
    """A cell a spreadsheet would run as a formula is exported as text (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_rows(responses, *, dates_as_text: bool = True):
    """Header, then one row per response, every text cell neutralised; answers are fetched per
    chunk, so memory stays constant. The completion time is text (CSV) or a local datetime that a
    spreadsheet keeps as a date (Excel); channel and category are words in the reader's language."""
    responses = responses.order_by("pk")
    # The topics of the survey versions in the export, not of its answers: a short query however
    # many responses there are (a topic nobody answered is an empty column).
    versions = responses.order_by().values("survey_version_id").distinct()
    topic_columns = list(
        SurveyVersionTopic.objects.filter(version_id__in=versions)
        .values_list("topic_id", "topic__name_nl")
        .distinct()
        .order_by("topic__dimension", "topic__name_nl")
    )
    positions = {topic_id: i for i, (topic_id, _name) in enumerate(topic_columns)}
    yield [
        neutralise(str(title))
        for title in (
            _("Completed"),
            _("Recruiter"),
            _("Client"),
            _("Hiring manager"),
            _("Channel"),
            _("Survey"),
            _("Version"),
            _("Client NPS"),
            _("Category"),
            *[name for _id, name in topic_columns],
            _("Comment"),
        )
    ]
    # Plain tuples, not model instances: the export runs at tens of thousands of rows per second.
    fields = (
        "pk",
        "completed_at",
        "recruiter__first_name",
        "recruiter__last_name",
        "recruiter__email",
        "client__name",
        "contact__name",
        "channel",
        "survey_version__name",
        "survey_version__number",
        "nps_score",
        "comment",
    )
    zone = timezone.get_current_timezone()
    channels = {value: str(label) for value, label in Response.Channel.choices}
    categories = {PROMOTER: _("Promoter"), PASSIVE: _("Passive"), DETRACTOR: _("Detractor")}
    # One query, streamed (a server-side cursor on PostgreSQL); the answers are fetched per batch.
    rows = responses.values_list(*fields).iterator(chunk_size=CHUNK)
    while True:
        chunk = list(itertools.islice(rows, CHUNK))
        if not chunk:
            return
        scores = {}
        for response_id, topic_id, score in Answer.objects.filter(response__in=[row[0] for row in chunk]).values_list(
            "response_id", "topic_id", "score"
        ):
            scores.setdefault(response_id, {})[topic_id] = score
        for pk, completed, first, last_name, email, client, contact, channel, survey, number, nps, comment in chunk:
            topics = [""] * len(topic_columns)
            for topic_id, score in scores.get(pk, {}).items():
                topics[positions[topic_id]] = score
            local = completed.astimezone(zone)
            yield [
                # YYYY-MM-DD HH:MM as strftime gives it but faster, or the datetime itself (naive: Excel has no zones)
                str(local)[:16] if dates_as_text else local.replace(tzinfo=None, second=0, microsecond=0),
                neutralise(f"{first} {last_name}".strip() or email),
                neutralise(client),
                neutralise(contact),
                channels.get(channel, channel),
                neutralise(survey),
                number,
                "" if nps is None else nps,
                "" if nps is None else categories[category(nps)],
                *topics,
                neutralise(comment),
            ]
