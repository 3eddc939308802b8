"""What a summary row holds: the counts and sums the dashboards read and the refresh writes."""

from surveys.models import Dimension

NPS_METRICS = (
    "responses",
    "promoters",
    "passives",
    "detractors",
    *(f"{d}_{kind}" for d in Dimension.values for kind in ("answers", "sum")),
    "sent",
    "answered",
    "followups_on_time",
    "followups_late",
)
TOPIC_METRICS = (
    "answers",
    "score_sum",
    "paired",
    "paired_score_sum",
    "paired_score_sq_sum",
    "nps_sum",
    "nps_sq_sum",
    "score_nps_sum",
)
