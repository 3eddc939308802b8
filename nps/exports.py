"""Export rows: one per response, topics as columns, formulas neutralised."""

from django.utils import timezone
from django.utils.translation import gettext as _

from nps.models import Answer
from nps.scoring import category

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(value):
    """A cell a spreadsheet would run as a formula is exported as text (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_rows(responses):
    """Header, then one row per response; answers are fetched per chunk, so memory stays constant."""
    responses = responses.order_by("pk")
    topic_columns = list(
        Answer.objects.filter(response__in=responses.values("pk"))
        .values_list("topic_id", "topic__name_nl")
        .distinct()
        .order_by("topic__dimension", "topic__name_nl")
    )
    positions = {topic_id: i for i, (topic_id, _name) in enumerate(topic_columns)}
    yield [
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
    ]
    last = 0
    base = responses.select_related("recruiter", "client", "contact", "survey_version")
    while True:
        chunk = list(base.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        scores = {}
        for response_id, topic_id, score in Answer.objects.filter(response__in=[r.pk for r in chunk]).values_list(
            "response_id", "topic_id", "score"
        ):
            scores.setdefault(response_id, {})[topic_id] = score
        for r in chunk:
            topics = [""] * len(topic_columns)
            for topic_id, score in scores.get(r.pk, {}).items():
                topics[positions[topic_id]] = score
            yield [
                timezone.localtime(r.completed_at).strftime("%Y-%m-%d %H:%M"),
                str(r.recruiter),
                r.client.name,
                r.contact.name,
                r.channel,
                r.survey_version.name,
                r.survey_version.number,
                "" if r.nps_score is None else r.nps_score,
                "" if r.nps_score is None else category(r.nps_score),
                *topics,
                r.comment,
            ]
        last = chunk[-1].pk
