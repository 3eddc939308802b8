"""The candidate's check-in email and the recruiter's alerts; rendering is outreach.emails'."""

from django.core.mail import EmailMultiAlternatives
from django.utils import formats, translation

from checkins import wording
from checkins.models import CandidateFollowUp, CheckIn
from outreach.emails import domain, message, site_url, unsubscribe_headers


def texts(checkin: CheckIn, *, language: str) -> dict[str, str]:
    """Every candidate text of this check-in, in its language and the organisation's tone, names filled in:
    for the email, the page, the thank-you and the unsubscribe pages alike."""
    placement, recruiter = checkin.placement, checkin.recruiter
    with translation.override(language):
        return wording.texts(
            checkin.organisation.candidate_tone,
            recruiter=recruiter.get_full_name() or recruiter.email,
            agency=checkin.organisation.name,
            client=placement.client.name,
            name=placement.candidate_name.split(" ")[0],
            date=formats.date_format(placement.start_date, "j F Y"),
        )


def checkin_message(*, checkin: CheckIn, token: str, kind: str = "invitation", sequence: int = 0):
    """The personal check-in (or its reminder): "how is it going" as five links, a button, an opt-out."""
    language = checkin.language
    answer_url = site_url(f"/s/{token}/")
    unsubscribe_url = site_url(f"/s/{token}/unsubscribe/")
    with translation.override(language):
        context = {
            "t": texts(checkin, language=language),
            "checkin": checkin,
            "answer_url": answer_url,
            "score_links": [(n, f"{answer_url}?score={n}") for n in range(1, 6)],
            "unsubscribe_url": unsubscribe_url,
            "reminder": kind == "reminder",
            "recruiter_name": checkin.recruiter.get_full_name() or checkin.recruiter.email,
        }
    headers = {"Message-ID": f"<evalportal.checkin-{kind}.{checkin.pk}.{sequence}@{domain()}>"}
    recruiter = checkin.recruiter
    return message(
        "checkin",
        context,
        to=[checkin.placement.candidate_email],
        language=language,
        sender_name=recruiter.get_full_name() or recruiter.email,
        reply_to=[recruiter.email],
        headers=headers | unsubscribe_headers(unsubscribe_url),
    )


def followup_alert_message(*, followup: CandidateFollowUp) -> EmailMultiAlternatives:
    """Tell the recruiter a candidate needs a call before the probation ends."""
    context = {
        "followup": followup,
        "placement": followup.placement,
        "url": site_url(f"/check-ins/follow-ups/{followup.pk}/"),
    }
    return message(
        "checkin_alert",
        context,
        to=[followup.owner.email],
        language="nl",
        headers={"Message-ID": f"<evalportal.checkin-followup.{followup.pk}@{domain()}>"},
    )


def outcome_ask_message(*, recruiter, placements: list) -> EmailMultiAlternatives:
    """Ask the recruiter how the probations that just ended went."""
    context = {
        "recruiter": recruiter,
        "placements": [(p, site_url(f"/placements/{p.pk}/")) for p in placements],
    }
    return message("outcome_ask", context, to=[recruiter.email], language="nl")
