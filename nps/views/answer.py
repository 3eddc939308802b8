"""The hiring manager's pages, reached through the emailed token link (outreach.views); no login.

GET never stores an answer: mail scanners follow every link.
"""

from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nps import selectors, services
from nps.forms import BadRequest, parse_answers
from nps.services.invitations import INVITATIONS
from outreach.views import allowed, chosen_language, entries, entry_id, link_unusable, token_limit

# The invitations this browser opened by their links (INVITATIONS.session_entry): [invitation id, survey
# version id, language]. A bare id is an entry from before the version and language were kept.


def _form_of(request, invitation_id) -> tuple[int, str] | None:
    """(survey version id, language) of an invitation this browser may answer, or None."""
    entry = next((e for e in entries(request, INVITATIONS) if entry_id(e) == invitation_id), None)
    if isinstance(entry, list):
        return entry[1], entry[2]
    invitation = selectors.invitation_for_post(invitation_id=invitation_id) if entry else None
    return (invitation.survey_version_id, invitation.language) if invitation else None


def _closed(invitation_id) -> bool:
    invitation = selectors.invitation_for_post(invitation_id=invitation_id)
    return invitation is None or not services.invitation_is_open(invitation)


def _invitation_for(request, invitation_id):
    if invitation_id not in allowed(request, INVITATIONS):
        return None
    return selectors.invitation_for_answer_page(invitation_id=invitation_id)


@never_cache
@token_limit
@require_http_methods(["GET", "POST"])
def answer(request, invitation_id):
    if request.method == "POST":
        return _answer_post(request, invitation_id)
    invitation = _invitation_for(request, invitation_id)
    if invitation is None or not services.invitation_is_open(invitation):
        return link_unusable(request)
    language = chosen_language(request, invitation.language)
    with translation.override(language):
        context = selectors.answer_page_context(
            invitation=invitation,
            language=language,
            preselected_nps=_preselected(request),
            use_preselected=request.GET.get("use") == "1",
        )
        return render(request, "nps/answer.html", context)


def _preselected(request) -> int | None:
    score = request.GET.get("score", "")
    return int(score) if score.isascii() and score.isdigit() and int(score) <= 10 else None


def _answer_post(request, invitation_id):
    """Autosave or submit. The save itself finds a closed invitation (under its row lock); the other
    outcomes read the invitation first, so a closed survey always answers 410, whatever was posted."""
    form = _form_of(request, invitation_id)
    if form is None:
        return link_unusable(request, status=410)
    version_id, language = form[0], chosen_language(request, form[1])
    action = request.POST.get("action", "submit")
    is_xhr = request.headers.get("X-Requested-With") == "fetch"
    if action == "open":
        if _closed(invitation_id):
            return link_unusable(request, status=410)
        services.invitation_mark_opened(invitation_id=invitation_id)
        return JsonResponse({"ok": True})
    topics = selectors.version_topic_ids(version_id=version_id)
    with translation.override(language):
        try:
            nps, answers, comment, errors = parse_answers(request.POST, topics=topics)
        except BadRequest as error:
            if _closed(invitation_id):
                return link_unusable(request, status=410)
            if is_xhr:
                return JsonResponse({"ok": False, "error": str(error.message)}, status=400)
            return HttpResponseBadRequest(str(error.message))
        submit = action == "submit"
        if not errors:
            try:
                services.response_save(
                    invitation_id=invitation_id, nps_score=nps, answers=answers, comment=comment, submit=submit
                )
            except ValidationError as error:
                if error.code == "closed":
                    return link_unusable(request, status=410)
                errors["nps"] = error.messages[0]
        if errors:
            if _closed(invitation_id):
                return link_unusable(request, status=410)
            if is_xhr:
                return JsonResponse({"ok": False, "errors": {k: str(v) for k, v in errors.items()}}, status=400)
            context = selectors.answer_page_context(
                invitation=selectors.invitation_for_answer_page(invitation_id=invitation_id),
                language=language,
                posted=request.POST,
                errors=errors,
            )
            return render(request, "nps/answer.html", context, status=400)
        if is_xhr:
            return JsonResponse({"ok": True, "errors": {}})
    url = reverse("nps:thanks", args=[invitation_id]) if submit else reverse("nps:answer", args=[invitation_id])
    return redirect(url + (f"?lang={language}" if request.GET.get("lang") else ""))


@never_cache
@require_GET
def thanks(request, invitation_id):
    invitation = _invitation_for(request, invitation_id)
    if invitation is None:
        return link_unusable(request)
    response = getattr(invitation, "response", None)
    if response is None or response.completed_at is None:
        return redirect("nps:answer", invitation_id)
    language = chosen_language(request, invitation.language)
    with translation.override(language):
        context = {
            "invitation": invitation,
            "response": response,
            "recruiter_name": invitation.recruiter.get_full_name() or invitation.recruiter.email,
            # A call is promised exactly when the answers opened a follow-up, whatever rule opened it
            # (the NPS score, a low topic score, the organisation's thresholds or "Call me").
            "called_back": hasattr(response, "followup"),
            "open": services.invitation_is_open(invitation),
            "language": language,
            "days": invitation.organisation.followup_due_working_days,
        }
        return render(request, "nps/thanks.html", context)


@token_limit
@require_POST
def request_call(request, invitation_id):
    invitation = _invitation_for(request, invitation_id)
    if invitation is None:
        return link_unusable(request, status=410)
    try:
        services.response_request_call(invitation=invitation)
    except ValidationError:
        return link_unusable(request, status=410)
    url = reverse("nps:thanks", args=[invitation.pk]) + "?called=1"
    if request.GET.get("lang") in ("nl", "en"):
        url += f"&lang={request.GET['lang']}"
    return redirect(url)


@require_GET
def privacy(request):
    language = chosen_language(request, translation.get_language())
    # Opened from a survey: name the agency and its own retention period.
    opened = allowed(request, INVITATIONS)
    organisation = selectors.organisation_for_invitation(invitation_id=opened[-1]) if opened else None
    context = {
        "organisation": organisation,
        "retention_months": organisation.retention_months if organisation else 24,
    }
    with translation.override(language):
        return render(request, "nps/privacy.html", context)
