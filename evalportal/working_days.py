"""Working days in the Netherlands: no weekends and no public holidays (the `holidays` package keeps the
calendar: Easter and Whit Monday, King's Day, Ascension Day, Christmas; a hand-kept list would go stale)."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start`."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def subtract_working_days(end: datetime.date, days: int) -> datetime.date:
    """The date `days` working days before `end`."""
    day = end
    while days > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day
