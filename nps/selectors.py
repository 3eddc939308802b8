"""Reads for nps: the answer page, invitations per placement, follow-up lists."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import scope
from accounts.models import User
from evalportal.queries import one_or_none
from nps.forms import COMMENT_MAX
from nps.models import Answer, FollowUp, Invitation, InvitationPlacement, Response
from placements.models import Placement
from surveys.models import NPS_SCALE, Dimension, SurveyVersionTopic


def invitation_for_answer_page(*, invitation_id: int) -> Invitation | None:
    """The invitation with everything the page shows, in one query."""
    return one_or_none(
        Invitation.objects.select_related(
            "contact__client", "recruiter", "organisation", "survey_version", "response"
        ).filter(pk=invitation_id)
    )


def invitation_for_post(*, invitation_id: int) -> Invitation | None:
    """The few columns that tell whether the answer page still takes posts (status, expiry) and how to read
    them (version, language), without the page's six-table join."""
    return one_or_none(
        Invitation.objects.only("status", "expires_at", "survey_version_id", "language").filter(pk=invitation_id)
    )


_version_topics: dict[int, dict[int, int]] = {}


def version_topic_ids(*, version_id: int) -> dict[int, int]:
    """Version topic id -> library topic id. Published versions never change, so each process keeps them."""
    if version_id not in _version_topics:
        _version_topics[version_id] = dict(
            SurveyVersionTopic.objects.filter(version_id=version_id).values_list("pk", "topic_id")
        )
    return _version_topics[version_id]


def answer_page_context(
    *,
    invitation: Invitation,
    language: str,
    preselected_nps: int | None = None,
    use_preselected: bool = False,
    posted=None,
    errors=None,
) -> dict:
    """Everything the answer page renders: two queries (topics, placements) plus the answers if any."""
    version = invitation.survey_version
    response = getattr(invitation, "response", None)
    saved = {}
    if response is not None:
        saved = dict(Answer.objects.filter(response=response).values_list("version_topic_id", "score"))
    topics = list(SurveyVersionTopic.objects.filter(version=version).order_by("position"))
    placements = [
        link.placement
        for link in InvitationPlacement.objects.filter(invitation=invitation, skipped_reason="")
        .select_related("placement")
        .order_by("placement__start_date")
    ]

    def chosen(field, stored):
        if posted is not None:
            raw = posted.get(field, "")
            return int(raw) if raw.isascii() and raw.isdigit() else None
        return stored

    groups = {}
    for vt in topics:
        groups.setdefault(vt.dimension, []).append(
            {
                "field": f"topic_{vt.pk}",
                "name": vt.name(language),
                "question": vt.question(language),
                "scale": list(enumerate(vt.scale(language), start=1)),
                "selected": chosen(f"topic_{vt.pk}", saved.get(vt.pk)),
                "error": (errors or {}).get(f"topic_{vt.pk}"),
            }
        )
    stored_nps = response.nps_score if response and response.nps_score is not None else preselected_nps
    # A score clicked in the email after answering: the stored one stays chosen, the page offers the new one.
    clicked_nps = preselected_nps if preselected_nps is not None and preselected_nps != stored_nps else None
    if clicked_nps is not None and use_preselected:
        stored_nps, clicked_nps = preselected_nps, None
    return {
        "invitation": invitation,
        "version": version,
        "response": response,
        "language": language,
        "placements": placements,
        "client": invitation.contact.client,
        "recruiter_name": invitation.recruiter.get_full_name() or invitation.recruiter.email,
        "intro": version.intro(language),
        "nps": {
            "question": version.nps_question(language),
            "low": NPS_SCALE[language][0],
            "high": NPS_SCALE[language][1],
            "selected": chosen("nps", stored_nps),
            "error": (errors or {}).get("nps"),
            "clicked": clicked_nps if posted is None else None,
        },
        "nps_values": range(11),
        "groups": [(label, groups[value]) for value, label in Dimension.choices if value in groups],
        "open_question": version.open_question(language),
        "comment": posted.get("comment", "") if posted is not None else (response.comment if response else ""),
        "comment_error": (errors or {}).get("comment"),
        "comment_max": COMMENT_MAX,
        "errors": errors or {},
        "completed": bool(response and response.completed_at),
        "expires_at": invitation.expires_at,
    }


def invitation_links_for_placements(*, placement_ids) -> dict[int, InvitationPlacement]:
    links = InvitationPlacement.objects.filter(placement_id__in=placement_ids).select_related("invitation")
    return {link.placement_id: link for link in links}


def followup_list(*, user: User, mine: bool = True) -> QuerySet[FollowUp]:
    """A recruiter's own follow-ups, or what a team lead / administrator may see; overdue first."""
    followups = FollowUp.objects.filter(scope.visible(user=user, recruiter_field="owner")).select_related(
        "owner", "response__contact", "response__client"
    )
    if mine:
        followups = followups.filter(owner=user)
    return followups.order_by("status", "due_date", "pk")


def followup_get_for_user(*, user: User, pk: int) -> FollowUp:
    queryset = FollowUp.objects.filter(scope.visible(user=user, recruiter_field="owner"))
    return get_object_or_404(
        queryset.select_related(
            "owner", "response__contact__client", "response__survey_version", "response__invitation", "live_response"
        ).prefetch_related(Prefetch("response__answers", queryset=Answer.objects.select_related("version_topic"))),
        pk=pk,
    )


def response_get_for_user(*, user: User, pk: int) -> Response:
    queryset = Response.objects.filter(scope.visible(user=user))
    return get_object_or_404(
        queryset.select_related("contact", "client", "survey_version", "recruiter").prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("version_topic"))
        ),
        pk=pk,
    )


def is_overdue(followup: FollowUp) -> bool:
    return followup.status in FollowUp.OPEN_STATUSES and followup.due_date < timezone.localdate()


def survey_status_for_placement(placement) -> dict:
    """What the API reports about a placement's survey."""
    just_scheduled = Placement.invitation_link.related.is_cached(placement)
    if just_scheduled:
        # Closed in this request: the link and its invitation are in hand, and nothing is answered yet.
        link = placement.invitation_link
    else:
        link = InvitationPlacement.objects.filter(placement=placement).select_related("invitation__response").first()
    if link is None:
        return {}
    if link.skipped_reason:
        return {"invitation_status": "skipped", "skipped_reason": link.skipped_reason}
    invitation = link.invitation
    response = None if just_scheduled else getattr(invitation, "response", None)
    completed = bool(response and response.completed_at)
    return {
        "invitation_status": invitation.display_status,
        "sent_at": invitation.sent_at,
        "answered": completed,
        "answered_at": invitation.answered_at,
        "nps_score": response.nps_score if completed else None,
    }


def organisation_for_invitation(*, invitation_id: int):
    """The agency that sent this invitation (for the privacy notice), or None."""
    invitation = (
        Invitation.objects.filter(pk=invitation_id)
        .select_related("organisation")
        .only("organisation__name", "organisation__retention_months")
        .first()
    )
    return invitation.organisation if invitation else None
