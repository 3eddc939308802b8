"""When a candidate is asked how it is going: pure date arithmetic, no database.

By default three check-ins: in the first week (3 working days after the start), halfway through the probation,
and 10 days before it ends (moved to the next working day, so 7 to 10 days before). Without a probation period
only the first-week one. The organisation may change the numbers and leave out the halfway one.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from checkins.models import Stage
from evalportal.working_days import add_working_days, is_working_day

# The halfway check-in keeps at least this many days from its neighbours, or is left out (a one-month
# probation is too short for three).
MIN_GAP_DAYS = 5
# Without a probation end, the first-week check-in is still sent this long after its day (a day the job missed).
LATE_DAYS = 7


@dataclass(frozen=True)
class Settings:
    first_working_days: int = 3
    halfway: bool = True
    days_before_end: int = 10

    @classmethod
    def of(cls, organisation) -> "Settings":
        return cls(
            organisation.checkin_first_working_days,
            organisation.checkin_halfway,
            organisation.checkin_days_before_end,
        )


def next_working_day(day: datetime.date) -> datetime.date:
    return day if is_working_day(day) else add_working_days(day, 1)


def planned(start: datetime.date, end: datetime.date | None, settings: Settings) -> list[tuple[str, datetime.date]]:
    """The stages and their days, in order."""
    first = add_working_days(start, settings.first_working_days)
    stages = [(Stage.FIRST_WEEK, first)]
    if end is None or end <= first:
        return tuple(stages)
    last = next_working_day(end - datetime.timedelta(days=settings.days_before_end))
    if not first < last < end:
        last = None
    if settings.halfway:
        half = next_working_day(start + (end - start) / 2)
        if (
            first + datetime.timedelta(days=MIN_GAP_DAYS)
            <= half
            <= (last or end) - datetime.timedelta(days=MIN_GAP_DAYS)
        ):
            stages.append((Stage.HALFWAY, half))
    if last:
        stages.append((Stage.BEFORE_END, last))
    return tuple(stages)


@lru_cache(maxsize=4096)
def due(
    start: datetime.date, end: datetime.date | None, settings: Settings, today: datetime.date
) -> tuple[str, datetime.date] | None:
    """The stage to send today, if any: the latest whose day has come and whose successor's has not (a stage
    the daily job missed is not sent after the next one's day, nor after the probation ended)."""
    stages = planned(start, end, settings)
    for index, (stage, day) in enumerate(stages):
        if index + 1 < len(stages):
            until = stages[index + 1][1]
        else:
            until = end if end is not None and end > day else day + datetime.timedelta(days=LATE_DAYS)
        if day <= today < until:
            return stage, day
    return None
