"""The candidate's check-in page (through the token link, no login) and the recruiter's follow-up pages."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import STAFF_ROLES, role_required
from checkins import emails, schedule, selectors, services, wording
from checkins.models import EXPECTATIONS, CandidateFollowUp, CheckIn
from evalportal.forms import apply_errors
from outreach.views import allowed, chosen_language, link_unusable, token_limit


def _checkin_for(request, checkin_id) -> CheckIn | None:
    if checkin_id not in allowed(request, services.CHECKINS):
        return None
    return selectors.checkin_for_page(checkin_id=checkin_id)


def _closed_page(request, checkin: CheckIn, language: str, status=410):
    with translation.override(language):
        context = {"t": emails.texts(checkin, language=language), "organisation": checkin.organisation}
        return render(request, "checkins/closed.html", context, status=status)


def _scales(t: dict, values: dict) -> list[dict]:
    return [{"name": name, "label": t[name], "value": values.get(name)} for name in EXPECTATIONS]


@never_cache
@token_limit
@require_http_methods(["GET", "POST"])
def checkin(request, checkin_id):
    """One screen: how is it going, four expectations, the candidate NPS, a message, "call me"."""
    row = _checkin_for(request, checkin_id)
    if row is None:
        return link_unusable(request, status=410 if request.method == "POST" else 404)
    language = chosen_language(request, row.language)
    if not services.is_open(row):
        return _closed_page(request, row, language)
    errors = {}
    if request.method == "POST":
        values, errors = services.parse_answers(request.POST)
        if not errors:
            try:
                services.checkin_answer(checkin_id=row.pk, answers=values)
            except ValidationError:
                return _closed_page(request, row, language)
            return redirect(
                reverse("checkins:thanks", args=[row.pk]) + (f"?lang={language}" if "lang" in request.GET else "")
            )
        values = {k: request.POST.get(k, "") for k in ("how_going", *EXPECTATIONS, "candidate_nps", "message")} | {
            "call_requested": request.POST.get("call_requested") == "1"
        }
    else:
        values = _stored(row)
        score = request.GET.get("score", "")
        if score.isascii() and score.isdigit() and 1 <= int(score) <= 5:
            values["how_going"] = int(score)
    # As the radio buttons' values: text, "" for no answer.
    shown = {k: str(v) if v is not None else "" for k, v in values.items()}
    with translation.override(language):
        t = emails.texts(row, language=language)
        context = {
            "t": t,
            "checkin": row,
            "organisation": row.organisation,
            "values": shown,
            "expectations": _scales(t, shown),
            "errors": errors,
            "language": language,
            "nps_values": [str(n) for n in range(11)],
        }
        return render(request, "checkins/checkin.html", context, status=400 if errors else 200)


def _stored(row: CheckIn) -> dict:
    fields = ("how_going", *EXPECTATIONS, "candidate_nps", "message", "call_requested")
    return {name: getattr(row, name) for name in fields}


@never_cache
@require_GET
def thanks(request, checkin_id):
    row = _checkin_for(request, checkin_id)
    if row is None:
        return link_unusable(request)
    if row.answered_at is None:
        return redirect("checkins:checkin", row.pk)
    language = chosen_language(request, row.language)
    # A call is promised exactly when the answers opened one (a low answer or "Bel mij"), as for clients.
    followup = CandidateFollowUp.objects.filter(checkin=row, status__in=CandidateFollowUp.OPEN_STATUSES).first()
    with translation.override(language):
        t = emails.texts(row, language=language)
        called_back = ""
        if followup:
            date = formats.date_format(followup.due_date, "l j F")
            recruiter = row.recruiter.get_full_name() or row.recruiter.email
            called_back = wording.text(row.organisation.candidate_tone, "called_back", recruiter=recruiter, date=date)
        context = {
            "t": t,
            "checkin": row,
            "organisation": row.organisation,
            "called_back": called_back,
            "open": services.is_open(row),
        }
        return render(request, "checkins/thanks.html", context)


# -- the recruiter's pages ----------------------------------------------------------------------------------


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = CandidateFollowUp
        fields = ["situation", "what_would_help", "consent", "client_may_know", "status"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 3}),
            "what_would_help": forms.Textarea(attrs={"rows": 3}),
            "client_may_know": forms.Textarea(attrs={"rows": 2}),
            "consent": forms.RadioSelect,
        }
        help_texts = {
            "client_may_know": gettext_lazy("Only with the candidate's consent, in words the candidate agreed to.")
        }


@role_required(*STAFF_ROLES)
def followup_list(request):
    followups = selectors.followups_for(user=request.user).order_by("status", "due_date", "pk")
    today = timezone.localdate()
    rows = [
        {
            "followup": f,
            "overdue": f.status in CandidateFollowUp.OPEN_STATUSES and f.due_date < today,
            "days_left": (f.placement.probation_end_date - today).days if f.placement.probation_end_date else None,
        }
        for f in followups[:200]
    ]
    return render(request, "checkins/followup_list.html", {"rows": rows})


@role_required(*STAFF_ROLES)
def followup_detail(request, pk):
    """The call guide: the answers, what is going on, what would help, and whether the client may be told."""
    followup = selectors.followup_get_for_user(user=request.user, pk=pk)
    form = FollowUpForm(request.POST or None, instance=followup)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(
                followup=followup, user=request.user, **{k: form.cleaned_data[k] for k in FollowUpForm.Meta.fields}
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The call is recorded."))
            return redirect(reverse("checkins:followup_detail", args=[pk]))
    checkin = followup.checkin
    answers = [(CheckIn._meta.get_field(name).verbose_name, getattr(checkin, name)) for name in EXPECTATIONS]
    context = {
        "followup": followup,
        "placement": followup.placement,
        "checkin": checkin,
        "expectations": answers,
        "form": form,
        "days_left": (
            (followup.placement.probation_end_date - timezone.localdate()).days
            if followup.placement.probation_end_date
            else None
        ),
    }
    return render(request, "checkins/followup_detail.html", context, status=400 if form.errors else 200)


# -- the card on a placement's page (placements.hooks) ------------------------------------------------------


def placement_panel(request, placement) -> str:
    """The check-ins planned and sent; their answers only for the candidate's recruiter and administrators."""
    rows = {c.stage: c for c in CheckIn.objects.filter(placement=placement).select_related("followup")}
    planned = schedule.planned(
        placement.start_date, placement.probation_end_date, schedule.Settings.of(placement.organisation)
    )
    stages = [{"stage": stage, "day": day, "checkin": rows.get(stage)} for stage, day in planned]
    stages += [{"stage": c.stage, "day": c.planned_on, "checkin": c} for s, c in rows.items() if s not in dict(planned)]
    context = {
        "placement": placement,
        "stages": sorted(stages, key=lambda s: s["day"]),
        "answers_visible": selectors.may_read_answers(request.user, placement),
        "today": timezone.localdate(),
        "ended": services.ended(placement),
        "stage_labels": dict(CheckIn._meta.get_field("stage").choices),
    }
    return render_to_string("checkins/_placement_panel.html", context, request=request)
