"""Both halves of the agency's reputation on one screen: whether every introduced candidate heard back (the
closure rate, and who is still waiting) beside what clients say (the client NPS), per recruiter and per client;
and the candidates' own experience per touchpoint.

Vacancies carry their counts (placements.applicants keeps them), so the closure figures add up vacancies, not
candidates; the waiting candidates are read through a partial index of those without an answer. A fixed number
of queries, whatever the number of candidates. Period: the vacancies opened in it, and the surveys answered in it.
"""

from collections import defaultdict

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from accounts.models import User
from applicants.models import CandidateFeedback, Touchpoint
from nps import scoring
from placements.applicants import open_loops
from placements.models import Applicant, Client, Vacancy
from reporting.selectors import MIN_GROUP, NPS_SUMS, Filters, _nps_figure, _scope_recruiters, _summary

ROWS = 100  # groups per table
VACANCY_ROWS = 50


def _narrowed(queryset, user: User, filters: Filters, prefix: str = ""):
    recruiters = _scope_recruiters(user, filters)
    if recruiters is not None:
        queryset = queryset.filter(**{f"{prefix}recruiter_id__in": recruiters})
    if filters.recruiter:
        queryset = queryset.filter(**{f"{prefix}recruiter_id": filters.recruiter})
    if filters.client:
        queryset = queryset.filter(**{f"{prefix}client_id": filters.client})
    return queryset


def vacancies_in_scope(*, user: User, filters: Filters):
    return _narrowed(
        Vacancy.objects.filter(
            organisation_id=user.organisation_id, opened_on__gte=filters.start, opened_on__lte=filters.end
        ),
        user,
        filters,
    )


def _rate(introduced: int, answered: int) -> dict:
    introduced, answered = introduced or 0, answered or 0
    shown = introduced >= MIN_GROUP
    return {
        "introduced": introduced,
        "answered": answered,
        "rate": round(100 * answered / introduced) if shown else None,
        "shown": shown,
    }


def _waiting(user: User, filters: Filters) -> dict[tuple[int, int], int]:
    """Candidates waiting too long (or whose vacancy closed) per (recruiter, client), in the period's vacancies:
    one pass over the partial index of candidates without an answer, for both tables."""
    today = timezone.localdate()
    rows = (
        _narrowed(Applicant.objects.filter(open_loops(user.organisation, today)), user, filters, "vacancy__")
        .filter(vacancy__opened_on__gte=filters.start, vacancy__opened_on__lte=filters.end)
        .values("vacancy__recruiter_id", "vacancy__client_id")
        .annotate(n=Count("pk"))
    )
    return {(r["vacancy__recruiter_id"], r["vacancy__client_id"]): r["n"] for r in rows}


def _groups(user: User, filters: Filters, key: str, pairs: dict) -> list[dict]:
    """Closure rate, candidates waiting and client NPS per recruiter or per client, most candidates first."""
    closure = (
        vacancies_in_scope(user=user, filters=filters)
        .values(f"{key}_id")
        .annotate(introduced=Sum("introduced"), answered=Sum("answered"))
        .order_by("-introduced", f"{key}_id")[:ROWS]
    )
    rows = {r[f"{key}_id"]: {"id": r[f"{key}_id"], **_rate(r["introduced"], r["answered"])} for r in closure}
    waiting = defaultdict(int)
    for (recruiter_id, client_id), n in pairs.items():
        waiting[recruiter_id if key == "recruiter" else client_id] += n
    nps = {
        r[key]: _nps_figure(r)
        for r in _summary(user, filters, by_client=key == "client")
        .filter(**{f"{key}__in": list(rows)})
        .values(key)
        .annotate(**NPS_SUMS)
    }
    model = User if key == "recruiter" else Client
    names = {o.pk: str(o) for o in model.objects.filter(pk__in=list(rows))}
    table = []
    for pk, row in rows.items():
        figure = nps.get(pk) or _nps_figure({})
        row |= {
            "name": names.get(pk, "?"),
            "waiting": waiting.get(pk, 0),
            "nps": figure["nps"] if figure["responses"] >= MIN_GROUP else None,
            "nps_n": figure["responses"],
        }
        table.append(row)
    return table


def _touchpoints(user: User, filters: Filters) -> list[dict]:
    """The candidate NPS, a clear final answer and useful feedback per touchpoint; each hidden below 5 answers."""
    answers = _narrowed(
        CandidateFeedback.objects.filter(
            organisation_id=user.organisation_id, answered_on__gte=filters.start, answered_on__lte=filters.end
        ),
        user,
        filters,
    )
    counted = {
        r["touchpoint"]: r
        for r in answers.values("touchpoint").annotate(
            n=Count("nps"),
            promoters=Count("pk", filter=Q(nps__gte=9)),
            detractors=Count("pk", filter=Q(nps__lte=6)),
            clear_n=Count("clear_answer"),
            clear_yes=Count("pk", filter=Q(clear_answer=True)),
            useful_n=Count("feedback_useful"),
            useful_sum=Sum("feedback_useful"),
        )
    }
    rows = []
    for touchpoint in Touchpoint:
        r = counted.get(touchpoint.value, {})
        n, clear_n, useful_n = r.get("n", 0), r.get("clear_n", 0), r.get("useful_n", 0)
        counts = scoring.Counts(
            promoters=r.get("promoters", 0),
            passives=n - r.get("promoters", 0) - r.get("detractors", 0),
            detractors=r.get("detractors", 0),
        )
        rows.append(
            {
                "touchpoint": touchpoint.label,
                "code": touchpoint.value,
                "n": n,
                "nps": scoring.nps_rounded(counts) if n >= MIN_GROUP else None,
                "clear_n": clear_n,
                "clear": round(100 * r.get("clear_yes", 0) / clear_n) if clear_n >= MIN_GROUP else None,
                "useful_n": useful_n,
                "useful": round(r.get("useful_sum", 0) / useful_n, 1) if useful_n >= MIN_GROUP else None,
            }
        )
    return rows


def closure_data(*, user: User, filters: Filters) -> dict:
    vacancies = vacancies_in_scope(user=user, filters=filters)
    totals = vacancies.aggregate(introduced=Sum("introduced"), answered=Sum("answered"), vacancies=Count("pk"))
    pairs = _waiting(user, filters)
    recruiters = _groups(user, filters, "recruiter", pairs)
    clients = _groups(user, filters, "client", pairs)
    client_nps = _nps_figure(_summary(user, filters).aggregate(**NPS_SUMS))
    worst = (
        vacancies.annotate(unanswered=F("introduced") - F("answered"))
        .filter(unanswered__gt=0)
        .select_related("client", "recruiter")
        .order_by("-unanswered", "-opened_on", "pk")[:VACANCY_ROWS]
    )
    return {
        "total": _rate(totals["introduced"], totals["answered"]) | {"vacancies": totals["vacancies"]},
        "waiting": sum(pairs.values()),
        "client_nps": client_nps if client_nps["responses"] >= MIN_GROUP else None,
        "client_nps_n": client_nps["responses"],
        "recruiters": recruiters,
        "clients": clients,
        "touchpoints": _touchpoints(user, filters),
        "vacancies": list(worst),
    }


def waiting_list(*, user: User, mine: bool, limit: int = 200):
    """The recruiter's (or the team's) candidates waiting for a final answer, longest waiting first: the part
    of the daily list about candidates."""
    from accounts import scope

    today = timezone.localdate()
    recruiters = [user.pk] if mine else scope.recruiter_ids(user=user)
    waiting = Applicant.objects.filter(open_loops(user.organisation, today)).select_related(
        "vacancy__client", "vacancy__recruiter"
    )
    if recruiters is not None:
        waiting = waiting.filter(vacancy__recruiter_id__in=recruiters)
    return waiting.order_by("stage_on", "pk")[:limit]
