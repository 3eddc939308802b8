"""Quarters as one number (20263: the third quarter of 2026): the periods of the exit patterns, the mirror and
the client's review report."""

import datetime

from django.utils.translation import gettext as _


def quarter_of(day: datetime.date) -> int:
    return day.year * 10 + (day.month - 1) // 3 + 1


def bounds(quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of a quarter."""
    year, number = divmod(quarter, 10)
    start = datetime.date(year, 3 * number - 2, 1)
    after = datetime.date(year + 1, 1, 1) if number == 4 else datetime.date(year, 3 * number + 1, 1)
    return start, after - datetime.timedelta(days=1)


def label(quarter: int) -> str:
    return _("Q%(quarter)d %(year)d") % {"quarter": quarter % 10, "year": quarter // 10}


def param(quarter: int) -> str:
    return f"{quarter // 10}-{quarter % 10}"


def parse(value: str | None) -> int | None:
    """ "2026-3" -> 20263; None for anything else."""
    year, _sep, number = (value or "").partition("-")
    if not (year.isascii() and year.isdigit() and len(year) == 4 and number in ("1", "2", "3", "4")):
        return None
    return int(year) * 10 + int(number)


def previous(quarter: int, n: int) -> list[int]:
    """This quarter and the n - 1 before it, oldest first."""
    out = [quarter]
    for _i in range(n - 1):
        year, number = divmod(out[0], 10)
        out.insert(0, year * 10 + number - 1 if number > 1 else (year - 1) * 10 + 4)
    return out


def following(quarter: int) -> int:
    year, number = divmod(quarter, 10)
    return year * 10 + number + 1 if number < 4 else (year + 1) * 10 + 1
