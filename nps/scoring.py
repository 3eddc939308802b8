"""Pure NPS maths: no ORM, no Django. Shared by the answer flow and the dashboards.

Rounding: nps() returns an exact float; shown values are rounded half away
from zero to whole numbers (nps_rounded) because NPS is reported as an
integer from -100 to +100. Averages are rounded to one decimal for display.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PROMOTER_MIN = 9
PASSIVE_MIN = 7
STRONG_ABOVE = 40
DETRACTOR, PASSIVE, PROMOTER = "detractor", "passive", "promoter"


def category(score: int) -> str:
    """0-6 detractor, 7-8 passive, 9-10 promoter."""
    if not 0 <= score <= 10:
        raise ValueError(f"NPS score out of range: {score}")
    if score >= PROMOTER_MIN:
        return PROMOTER
    if score >= PASSIVE_MIN:
        return PASSIVE
    return DETRACTOR


@dataclass(frozen=True)
class Counts:
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def total(self) -> int:
        return self.promoters + self.passives + self.detractors

    @classmethod
    def of(cls, scores: Iterable[int]) -> "Counts":
        tally = {PROMOTER: 0, PASSIVE: 0, DETRACTOR: 0}
        for score in scores:
            tally[category(score)] += 1
        return cls(promoters=tally[PROMOTER], passives=tally[PASSIVE], detractors=tally[DETRACTOR])


def nps(counts: Counts) -> float | None:
    """% promoters - % detractors, from -100 to +100; None when there are no responses."""
    if counts.total == 0:
        return None
    return 100.0 * (counts.promoters - counts.detractors) / counts.total


def nps_rounded(counts: Counts) -> int | None:
    value = nps(counts)
    if value is None:
        return None
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def is_strong(value: float | None) -> bool:
    """Above +40 is strong."""
    return value is not None and value > STRONG_ABOVE


def average(scores: Iterable[int]) -> float | None:
    values = list(scores)
    return sum(values) / len(values) if values else None


def average_from(total: int, count: int) -> float | None:
    return total / count if count else None


def is_low(*, nps_score: int | None, topic_scores: Iterable[int], nps_threshold: int, topic_threshold: int) -> bool:
    """A detractor-level NPS or any topic at or below its threshold needs a live follow-up."""
    if nps_score is not None and nps_score <= nps_threshold:
        return True
    return any(score <= topic_threshold for score in topic_scores)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Correlation of two equally long series; None when undefined (n < 3 or no variance)."""
    n = len(xs)
    if n != len(ys) or n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / (sxx * syy) ** 0.5


def pearson_from_sums(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    """The same correlation from running sums, as the summary tables keep them."""
    if n < 3:
        return None
    vx = n * sxx - sx * sx
    vy = n * syy - sy * sy
    if vx <= 0 or vy <= 0:
        return None
    return (n * sxy - sx * sy) / (vx * vy) ** 0.5


def impact(correlation: float | None, topic_average: float | None) -> float | None:
    """Driver impact = correlation x (5 - average): strongly linked and far from perfect ranks first."""
    if correlation is None or topic_average is None:
        return None
    return correlation * (5 - topic_average)
