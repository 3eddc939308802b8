"""The leaver's questionnaire (through the token link, no login), the recruiter's exit pages, the pattern pages
and the client's quarterly report."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import scope
from accounts.decorators import STAFF_ROLES, role_required
from accounts.models import User
from checkins.selectors import may_read_answers
from evalportal import quarters
from evalportal.forms import apply_errors
from exits import emails, patterns, services
from exits.models import ExitFeedback, ExitInvitation, RecruitmentChange, SelectionReflection, Source
from exits.themes import QUESTIONS, THEMES_OF, ChangeKind, Theme
from outreach.views import allowed, chosen_language, link_unusable, token_limit
from placements.models import Client, Placement
from placements.selectors import placement_get_for_user

QUARTERS_SHOWN = 4


def _questions(labels: dict, values: dict, errors: dict) -> list[dict]:
    chosen = set(values.get("themes") or [])
    return [
        {
            "name": q,
            "label": labels[q],
            "score": str(values.get(f"{q}_score") or ""),
            "text": values.get(f"{q}_text") or "",
            "themes": [{"code": t.value, "label": t.label, "checked": t.value in chosen} for t in THEMES_OF[q]],
            "errors": [errors[k] for k in (f"{q}_score", f"{q}_themes", f"{q}_text") if k in errors],
        }
        for q in QUESTIONS
    ]


def _posted(post) -> dict:
    """What was posted, as typed, for a page shown again with errors."""
    values = {k: post.get(k, "") for q in QUESTIONS for k in (f"{q}_score", f"{q}_text")}
    values["themes"] = [t for q in QUESTIONS for t in post.getlist(f"{q}_themes")]
    values["employer_nps"] = post.get("employer_nps", "")
    return values


def _stored(feedback: ExitFeedback | None) -> dict:
    if feedback is None:
        return {}
    values = {k: getattr(feedback, k) for q in QUESTIONS for k in (f"{q}_score", f"{q}_text")}
    return values | {"themes": feedback.themes, "employer_nps": feedback.employer_nps}


# -- the leaver's pages -----------------------------------------------------------------------------------


def _invitation_for(request, invitation_id) -> ExitInvitation | None:
    if invitation_id not in allowed(request, services.EXITS):
        return None
    return (
        ExitInvitation.objects.select_related("placement__client", "placement__recruiter", "organisation")
        .filter(pk=invitation_id)
        .first()
    )


def _leaver_labels(t: dict) -> dict:
    return {q: t[f"q_{q}"] for q in QUESTIONS}


@never_cache
@token_limit
@require_http_methods(["GET", "POST"])
def answer(request, invitation_id):
    """Seven questions on one page: six with a 1-5 scale, themes and a text; the employer NPS."""
    row = _invitation_for(request, invitation_id)
    if row is None:
        return link_unusable(request, status=410 if request.method == "POST" else 404)
    language = chosen_language(request, row.language)
    placement = row.placement
    with translation.override(language):
        t = emails.texts(placement, language=language)
        if not services.is_open(row):
            return render(request, "exits/closed.html", {"t": t, "organisation": row.organisation}, status=410)
        errors = {}
        values = _stored(ExitFeedback.objects.filter(placement=placement).first())
        if request.method == "POST":
            parsed, errors = services.parse_answers(request.POST)
            if not errors:
                try:
                    services.feedback_answer(invitation_id=row.pk, answers=parsed)
                except ValidationError:
                    return render(request, "exits/closed.html", {"t": t, "organisation": row.organisation}, status=410)
                suffix = f"?lang={language}" if "lang" in request.GET else ""
                return redirect(reverse("exits:thanks", args=[row.pk]) + suffix)
            values = _posted(request.POST)
        context = {
            "t": t,
            "organisation": row.organisation,
            "questions": _questions(_leaver_labels(t), values, errors),
            "nps": str(values.get("employer_nps") if values.get("employer_nps") is not None else ""),
            "nps_values": [str(n) for n in range(11)],
            "errors": errors,
            "language": language,
        }
        return render(request, "exits/answer.html", context, status=400 if errors else 200)


@never_cache
@require_GET
def thanks(request, invitation_id):
    row = _invitation_for(request, invitation_id)
    if row is None:
        return link_unusable(request)
    if row.answered_at is None:
        return redirect("exits:answer", row.pk)
    language = chosen_language(request, row.language)
    with translation.override(language):
        context = {
            "t": emails.texts(row.placement, language=language),
            "organisation": row.organisation,
            "invitation": row,
            "open": services.is_open(row),
        }
        return render(request, "exits/thanks.html", context)


# -- the recruiter's pages --------------------------------------------------------------------------------


def _readable_placement(request, pk) -> Placement:
    """A departed placement whose exit feedback this user may read: its recruiter's and administrators'."""
    placement = placement_get_for_user(user=request.user, pk=pk)
    if not may_read_answers(request.user, placement) or not placement.left_on:
        raise Http404
    return placement


STAFF_LABELS = {q: ExitFeedback._meta.get_field(f"{q}_score").verbose_name for q in QUESTIONS}
ENTERED_SOURCES = [(Source.CONVERSATION, Source.CONVERSATION.label), (Source.HR_CATCH_UP, Source.HR_CATCH_UP.label)]


class ReflectionForm(forms.Form):
    signals_seen = forms.TypedChoiceField(
        label=SelectionReflection._meta.get_field("signals_seen").verbose_name,
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    signals_text = forms.CharField(
        label=SelectionReflection._meta.get_field("signals_text").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": services.TEXT_MAX}),
    )


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def feedback_page(request, pk):
    """The exit feedback of one departure: the answers (entered here from the exit conversation or the
    catch-up with HR, or read as the leaver gave them) and the recruiter's reflection on the selection."""
    placement = _readable_placement(request, pk)
    feedback = ExitFeedback.objects.filter(placement=placement).first()
    reflection = SelectionReflection.objects.filter(placement=placement).first()
    errors, values, status = {}, _stored(feedback), 200
    source = feedback.source if feedback else Source.CONVERSATION
    reflection_form = ReflectionForm(
        initial={"signals_seen": ("yes" if reflection.signals_seen else "no") if reflection else None}
        | ({"signals_text": reflection.signals_text} if reflection else {})
    )
    if request.method == "POST" and request.POST.get("action") == "reflection":
        reflection_form = ReflectionForm(request.POST)
        if reflection_form.is_valid():
            try:
                services.reflection_record(placement=placement, user=request.user, **reflection_form.cleaned_data)
            except ValidationError as error:
                apply_errors(reflection_form, error)
            else:
                messages.success(request, _("Your reflection is saved."))
                return redirect(reverse("exits:feedback", args=[pk]))
        status = 400
    elif request.method == "POST":
        source = request.POST.get("source", "")
        parsed, errors = services.parse_answers(request.POST)
        if source not in dict(ENTERED_SOURCES):
            errors["source"] = _("Choose where the answers come from.")
        if not errors:
            try:
                services.feedback_store(placement=placement, source=source, answers=parsed, user=request.user)
            except ValidationError as error:
                errors["__all__"] = " ".join(error.messages)
            else:
                messages.success(request, _("The exit feedback is saved."))
                return redirect(reverse("exits:feedback", args=[pk]))
        values, status = _posted(request.POST), 400
    context = {
        "placement": placement,
        "feedback": feedback,
        "editable": not (feedback and feedback.source == Source.LINK),
        "questions": _questions(STAFF_LABELS, values, errors),
        "nps": str(values.get("employer_nps") if values.get("employer_nps") is not None else ""),
        "nps_values": [str(n) for n in range(11)],
        "errors": errors,
        "source": source,
        "sources": ENTERED_SOURCES,
        "reflection_form": reflection_form,
        "theme_labels": dict(Theme.choices),
    }
    return render(request, "exits/feedback.html", context, status=status)


@require_POST
@role_required(*STAFF_ROLES)
def send_link(request, pk):
    placement = _readable_placement(request, pk)
    try:
        services.exit_invite(placement=placement, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The exit questionnaire is on its way to the candidate."))
    return redirect(reverse("placements:placement_detail", args=[pk]))


@role_required(*STAFF_ROLES)
def learning(request):
    """A recruiter's placements that ended during probation, with their reflections: for the recruiter and
    their team lead only (a team lead chooses one of the team's recruiters)."""
    recruiter = request.user
    chosen = request.GET.get("recruiter", "")
    choices = []
    if request.user.role == User.Role.TEAM_LEAD:
        choices = list(scope.visible_recruiters(user=request.user).order_by("first_name", "last_name", "email"))
        if chosen:
            recruiter = next((u for u in choices if str(u.pk) == chosen), None)
            if recruiter is None:
                raise Http404
    elif chosen and chosen != str(request.user.pk):
        raise Http404
    placements = (
        Placement.objects.filter(organisation_id=request.user.organisation_id, recruiter=recruiter)
        .filter(left_on__isnull=False, probation_end_date__isnull=False, left_on__lte=F("probation_end_date"))
        .select_related("client", "selection_reflection")
        .order_by("-left_on")[:200]
    )
    return render(
        request,
        "exits/learning.html",
        {"placements": placements, "recruiter": recruiter, "choices": choices, "own": recruiter == request.user},
    )


# -- patterns ---------------------------------------------------------------------------------------------

DIMENSION_LABELS = {
    patterns.AGENCY: gettext_lazy("The whole agency"),
    "client": gettext_lazy("Client"),
    "job_family": gettext_lazy("Job family"),
    "recruiter": gettext_lazy("Recruiter"),
}


def _to_quarter(request) -> int:
    return patterns.parse_quarter(request.GET.get("to")) or patterns.current_quarter(timezone.localdate())


def _options(request, dimension: str, periods: list[int]) -> list[tuple[str, str]]:
    """The groups of a dimension this user may choose: those with anything to show."""
    keys = patterns.keys_with_patterns(request.user.organisation, dimension, periods)
    org = request.user.organisation_id
    if dimension == "client":
        return [(str(c.pk), c.name) for c in Client.objects.filter(organisation_id=org, pk__in=_ints(keys))]
    if dimension == "recruiter":
        users = scope.visible_recruiters(user=request.user).filter(pk__in=_ints(keys))
        return [(str(u.pk), u.get_full_name() or u.email) for u in users.order_by("first_name", "last_name")]
    return sorted((k, k.capitalize()) for k in keys)


def _ints(keys) -> list[int]:
    return [int(k) for k in keys if k.isdigit()]


def _rows(table: patterns.Table) -> list[dict]:
    """The themes that show, grouped by question, with their count per quarter (None: nothing to show)."""
    return [
        {
            "question": STAFF_LABELS[q],
            "themes": [
                {"code": t.value, "label": t.label, "counts": [table.themes[t.value].get(x) for x in table.quarters]}
                for t in THEMES_OF[q]
                if t.value in table.themes
            ],
        }
        for q in QUESTIONS
        if any(t.value in table.themes for t in THEMES_OF[q])
    ]


@role_required(*STAFF_ROLES)
def pattern_page(request):
    """What leavers share, per quarter, for the agency, a client, a job family or a recruiter."""
    organisation = request.user.organisation
    dimension = request.GET.get("view", patterns.AGENCY)
    if dimension not in DIMENSION_LABELS:
        dimension = patterns.AGENCY
    to = _to_quarter(request)
    periods = patterns.previous(to, QUARTERS_SHOWN)
    options = _options(request, dimension, periods) if dimension != patterns.AGENCY else []
    key = request.GET.get("key", "") if dimension != patterns.AGENCY else ""
    if key and key not in dict(options):
        key = ""  # a group with nothing to show, or one this user may not choose
    table = patterns.table(organisation, dimension, key, periods) if dimension == patterns.AGENCY or key else None
    changes = []
    if dimension == "client" and key:
        changes = _changes(organisation, int(key), periods[-1])
    context = {
        "dimension": dimension,
        "dimensions": DIMENSION_LABELS,
        "key": key,
        "options": options,
        "quarters": [(q, patterns.quarter_label(q)) for q in periods],
        "to": patterns.quarter_param(to),
        "previous_to": patterns.quarter_param(patterns.previous(to, 2)[0]),
        "next_to": patterns.quarter_param(quarters.following(to)),
        "table": table,
        "rows": _rows(table) if table else [],
        "leavers": [table.leavers.get(q) for q in periods] if table else [],
        "nps": [table.nps.get(q) for q in periods] if table else [],
        "threshold": patterns.threshold(organisation),
        "nps_min": max(patterns.threshold(organisation), patterns.NPS_MIN),
        "changes": changes,
        "changes_allowed": dimension == "client" and bool(key),
    }
    return render(request, "exits/patterns.html", context)


def _changes(organisation, client_id: int, up_to: int) -> list[dict]:
    """The changes made for a client up to a quarter, and whether their theme showed again afterwards."""
    changes = list(RecruitmentChange.objects.filter(organisation=organisation, client_id=client_id, quarter__lte=up_to))
    if not changes:
        return []
    shown = set(
        patterns.PatternCell.objects.filter(
            organisation=organisation,
            dimension="client",
            key=str(client_id),
            theme__in={c.theme for c in changes},
            quarter__lte=up_to,
            threshold=patterns.threshold(organisation),
        ).values_list("theme", "quarter")
    )
    out = []
    for change in changes:
        again = sorted(q for theme, q in shown if theme == change.theme and q > change.quarter)
        out.append(
            {
                "change": change,
                "quarter": patterns.quarter_label(change.quarter),
                "recurred": [patterns.quarter_label(q) for q in again],
                "since": change.quarter < up_to,
            }
        )
    return out


@role_required(*STAFF_ROLES)
def client_report(request, pk):
    """The client's quarterly pattern report for the meeting with HR: themes, changes made and whether the
    themes came back. No names, no dates, no free text of leavers; prints on A4."""
    organisation = request.user.organisation
    client = Client.objects.filter(organisation=organisation, pk=pk).first()
    if client is None:
        raise Http404
    quarter = patterns.parse_quarter(request.GET.get("quarter")) or patterns.current_quarter(timezone.localdate())
    periods = patterns.previous(quarter, QUARTERS_SHOWN)
    table = patterns.table(organisation, "client", str(client.pk), periods)
    context = {
        "client": client,
        "organisation": organisation,
        "quarter_label": patterns.quarter_label(quarter),
        "quarter": patterns.quarter_param(quarter),
        "quarters": [(q, patterns.quarter_label(q)) for q in periods],
        "rows": _rows(table),
        "leavers": [table.leavers.get(q) for q in periods],
        "nps": [table.nps.get(q) for q in periods],
        "changes": _changes(organisation, client.pk, quarter),
        "threshold": patterns.threshold(organisation),
        "nps_min": max(patterns.threshold(organisation), patterns.NPS_MIN),
    }
    return render(request, "exits/client_report.html", context)


class ChangeForm(forms.Form):
    client = forms.ModelChoiceField(label=gettext_lazy("Client"), queryset=Client.objects.none())
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), choices=[("", gettext_lazy("Choose"))] + Theme.choices)
    kind = forms.ChoiceField(
        label=gettext_lazy("What recruitment changes"), choices=[("", gettext_lazy("Choose"))] + ChangeKind.choices
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        help_text=gettext_lazy("This text appears in the client's quarterly report."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(organisation_id=user.organisation_id)


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def change_new(request):
    """Record what recruitment changes for a client's theme that passed the threshold."""
    form = ChangeForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        client = form.cleaned_data["client"]
        try:
            services.change_record(
                user=request.user,
                client=client,
                theme=form.cleaned_data["theme"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                quarter=patterns.current_quarter(timezone.localdate()),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The change is recorded; the quarterly report shows whether the theme returns.")
            )
            return redirect(reverse("exits:patterns") + f"?view=client&key={client.pk}")
    status = 400 if form.errors else 200
    return render(request, "exits/change_form.html", {"form": form}, status=status)


# -- the card on a placement's page (placements.hooks) ----------------------------------------------------


def placement_panel(request, placement) -> str:
    """Only for a placement whose candidate left: whether exit feedback is in, and for its recruiter and
    administrators the way to get it."""
    if not placement.left_on:
        return ""
    feedback = ExitFeedback.objects.filter(placement=placement).only("source", "answered_at").first()
    invitation = ExitInvitation.objects.filter(placement=placement).first()
    context = {
        "placement": placement,
        "feedback": feedback,
        "invitation": invitation,
        "may_read": may_read_answers(request.user, placement),
        "can_send": not feedback
        and not invitation
        and bool(placement.candidate_email)
        and not placement.candidate_opted_out_at
        and not placement.anonymised_at,
    }
    return render_to_string("exits/_placement_panel.html", context, request=request)
