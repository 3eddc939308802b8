"""The hiring managers' emails: the survey invitation and its reminders, follow-up alerts and reminders,
the close-the-loop email and the digest. Rendering is outreach.emails'.
"""

from django.core.mail import EmailMultiAlternatives

from nps.models import FollowUp, Invitation
from outreach.emails import domain, message, site_url, unsubscribe_headers


def invitation_message(
    *, invitation: Invitation, token: str, kind: str = "invitation", sequence: int = 0
) -> EmailMultiAlternatives:
    """The personal survey email (or a reminder): NPS as eleven links, a button, an opt-out."""
    placements = [
        link.placement
        for link in invitation.links.select_related("placement__client")
        .filter(skipped_reason="")
        .order_by("placement__start_date")
    ]
    answer_url = site_url(f"/s/{token}/")
    unsubscribe_url = site_url(f"/s/{token}/unsubscribe/")
    recruiter = invitation.recruiter
    version = invitation.survey_version
    context = {
        "invitation": invitation,
        "contact": invitation.contact,
        "recruiter": recruiter,
        "recruiter_name": recruiter.get_full_name() or recruiter.email,
        "organisation": invitation.organisation,
        "placements": placements,
        "placement": placements[0] if placements else None,
        "client": invitation.contact.client,
        "answer_url": answer_url,
        "score_links": [(n, f"{answer_url}?score={n}") for n in range(11)],
        "nps_question": version.nps_question(invitation.language),
        "unsubscribe_url": unsubscribe_url,
        "reminder": kind == "reminder",
        "quiet_days": invitation.organisation.quiet_period_days,
    }
    message_id = f"<evalportal.{kind}.{invitation.pk}.{sequence}@{domain()}>"
    headers = {
        "Message-ID": message_id,
    } | unsubscribe_headers(unsubscribe_url)
    return message(
        "invitation",
        context,
        to=[invitation.contact.email],
        language=invitation.language,
        sender_name=context["recruiter_name"],
        reply_to=[recruiter.email],
        headers=headers,
    )


def followup_alert_message(*, followup: FollowUp) -> EmailMultiAlternatives:
    """Tell the recruiter a low score needs a live follow-up call."""
    response = followup.response
    context = {
        "followup": followup,
        "response": response,
        "contact": response.contact,
        "url": site_url(f"/follow-ups/{followup.pk}/"),
    }
    return message(
        "followup_alert",
        context,
        to=[followup.owner.email],
        language="nl",
        headers={"Message-ID": f"<evalportal.followup.{followup.pk}@{domain()}>"},
    )


def followups_overdue_message(*, owner, followups: list[FollowUp]) -> EmailMultiAlternatives:
    context = {"owner": owner, "followups": followups, "url": site_url("/follow-ups/")}
    return message("followups_overdue", context, to=[owner.email], language="nl")


def followup_closing_message(*, followup: FollowUp, note: str) -> EmailMultiAlternatives:
    """The short close-the-loop email to the hiring manager after the call."""
    response = followup.response
    recruiter = followup.owner
    name = recruiter.get_full_name() or recruiter.email
    context = {
        "contact": response.contact,
        "recruiter_name": name,
        "note": note,
        "organisation": followup.owner.organisation,
    }
    return message(
        "followup_closing",
        context,
        to=[response.contact.email],
        language=response.contact.language,
        sender_name=name,
        reply_to=[recruiter.email],
        headers={"Message-ID": f"<evalportal.closing.{followup.pk}@{domain()}>"},
    )


def digest_message(*, user, **context) -> EmailMultiAlternatives:
    return message("digest", {"user": user, **context}, to=[user.email], language="nl")
