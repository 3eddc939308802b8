"""The candidate's experience survey (through the token link, no login), and the recruiter's vacancy page where a
final answer is recorded."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import scope
from accounts.decorators import STAFF_ROLES, role_required
from accounts.models import User
from applicants import emails, services
from applicants.models import CandidateFeedback, CandidateSurvey
from outreach.views import allowed, chosen_language, link_unusable, token_limit
from placements import applicants as write
from placements.models import FINAL_STAGES, Applicant, Vacancy

# -- the candidate's pages --------------------------------------------------------------------------------


def _survey_for(request, survey_id) -> CandidateSurvey | None:
    if survey_id not in allowed(request, services.CANDIDATES):
        return None
    return (
        CandidateSurvey.objects.select_related("applicant__vacancy", "recruiter", "organisation")
        .filter(pk=survey_id)
        .first()
    )


def _stored(feedback: CandidateFeedback | None) -> dict:
    if feedback is None:
        return {}
    clear = "" if feedback.clear_answer is None else ("yes" if feedback.clear_answer else "no")
    return {
        "clear_answer": clear,
        "feedback_useful": str(feedback.feedback_useful or ""),
        "nps": "" if feedback.nps is None else str(feedback.nps),
        "comment": feedback.comment,
    }


@never_cache
@token_limit
@require_http_methods(["GET", "POST"])
def answer(request, survey_id):
    """Four questions on one page: a clear final answer (yes/no), useful feedback (1-5), the candidate NPS and
    a text. A GET stores nothing."""
    row = _survey_for(request, survey_id)
    if row is None:
        return link_unusable(request, status=410 if request.method == "POST" else 404)
    language = chosen_language(request, row.language)
    with translation.override(language):
        t = emails.texts(row, language=language)
        if not services.is_open(row):
            return render(request, "applicants/closed.html", {"t": t, "organisation": row.organisation}, status=410)
        errors = {}
        values = _stored(CandidateFeedback.objects.filter(survey=row).first())
        if request.method == "POST":
            parsed, errors = services.parse_answers(request.POST)
            if not errors:
                try:
                    services.feedback_answer(survey_id=row.pk, answers=parsed)
                except ValidationError:
                    return render(
                        request, "applicants/closed.html", {"t": t, "organisation": row.organisation}, status=410
                    )
                suffix = f"?lang={language}" if "lang" in request.GET else ""
                return redirect(reverse("applicants:thanks", args=[row.pk]) + suffix)
            values = {k: request.POST.get(k, "") for k in ("clear_answer", "feedback_useful", "nps", "comment")}
        context = {
            "t": t,
            "organisation": row.organisation,
            "values": values,
            "errors": errors,
            "language": language,
            "useful_values": [str(n) for n in range(1, 6)],
            "nps_values": [str(n) for n in range(11)],
        }
        return render(request, "applicants/answer.html", context, status=400 if errors else 200)


@never_cache
@require_GET
def thanks(request, survey_id):
    row = _survey_for(request, survey_id)
    if row is None:
        return link_unusable(request)
    if row.answered_at is None:
        return redirect("applicants:answer", row.pk)
    language = chosen_language(request, row.language)
    with translation.override(language):
        context = {
            "t": emails.texts(row, language=language),
            "organisation": row.organisation,
            "survey": row,
            "open": services.is_open(row),
        }
        return render(request, "applicants/thanks.html", context)


# -- the recruiter's pages --------------------------------------------------------------------------------


def vacancy_get_for_user(*, user: User, pk: int) -> Vacancy:
    """The vacancy, or 404 when it is not `user`'s to see (accounts.scope)."""
    return get_object_or_404(
        Vacancy.objects.filter(scope.visible(user=user)).select_related("client", "recruiter"), pk=pk
    )


def may_read_words(user: User, vacancy: Vacancy) -> bool:
    """The candidates' own words: the vacancy's recruiter and administrators, like check-ins and exits."""
    return user.role == User.Role.ADMIN or vacancy.recruiter_id == user.pk


ANSWER_STAGES = [(s.value, s.label) for s in FINAL_STAGES]
SHOWN = 200  # candidates on the page, those without an answer first


def _vacancy_page(request, vacancy: Vacancy, *, failed: dict | None = None, status: int = 200):
    today = timezone.localdate()
    cutoff = write.waiting_since(request.user.organisation, today)
    candidates = list(
        Applicant.objects.filter(vacancy=vacancy)
        .annotate(
            answered=Case(When(told_on__isnull=False, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .select_related("survey__feedback")
        .order_by("answered", "stage_on", "pk")[:SHOWN]
    )
    words = may_read_words(request.user, vacancy)
    for candidate in candidates:
        candidate.waiting = candidate.told_on is None and (
            candidate.stage_on < cutoff or vacancy.status != Vacancy.Status.OPEN
        )
        survey = getattr(candidate, "survey", None)
        candidate.feedback = getattr(survey, "feedback", None) if survey else None
        candidate.survey_row = survey
    context = {
        "vacancy": vacancy,
        "candidates": candidates,
        "words": words,
        "today": today,
        "answer_stages": ANSWER_STAGES,
        "failed": failed or {},
        "open_loop_days": request.user.organisation.open_loop_working_days,
        "more": max(0, vacancy.introduced - len(candidates)),
    }
    return render(request, "applicants/vacancy.html", context, status=status)


@role_required(*STAFF_ROLES)
@require_GET
def vacancy_detail(request, pk):
    return _vacancy_page(request, vacancy_get_for_user(user=request.user, pk=pk))


@role_required(*STAFF_ROLES)
@require_POST
def record_answer(request, pk, applicant_pk):
    """The recruiter told the candidate the final answer: record it (the survey follows the next morning)."""
    vacancy = vacancy_get_for_user(user=request.user, pk=pk)
    applicant = Applicant.objects.filter(vacancy=vacancy, pk=applicant_pk).first()
    if applicant is None:
        raise Http404
    stage = request.POST.get("stage", "")
    raw_date = request.POST.get("told_on", "")
    try:
        told_on = parse_date(raw_date)
    except ValueError:
        told_on = None
    errors = []
    if stage not in [s for s, _label in ANSWER_STAGES]:
        errors.append(_("Choose the answer the candidate got: hired, rejected or withdrawn."))
    if told_on is None:
        errors.append(_("Enter the date the candidate was told, as on a calendar (YYYY-MM-DD)."))
    if not errors:
        try:
            write.applicant_answer(applicant=applicant, stage=stage, told_on=told_on, user=request.user)
        except write.RowErrors as refused:
            errors = [message for _row, _id, _field, message in refused.errors]
    if errors:
        failed = {"id": applicant.pk, "stage": stage, "told_on": raw_date, "errors": errors}
        return _vacancy_page(request, vacancy, failed=failed, status=400)
    messages.success(request, _("The answer is recorded."))
    return redirect(reverse("applicants:vacancy", args=[vacancy.pk]) + f"#candidate-{applicant.pk}")
