"""The leaver's email; rendering is outreach.emails'."""

from django.utils import translation

from exits import wording
from outreach.emails import domain, message, site_url, unsubscribe_headers


def texts(placement, *, language: str) -> dict[str, str]:
    """Every text the leaver reads about this placement, in its language and the organisation's tone."""
    recruiter = placement.recruiter
    with translation.override(language):
        return wording.texts(
            placement.organisation.candidate_tone,
            recruiter=recruiter.get_full_name() or recruiter.email,
            agency=placement.organisation.name,
            client=placement.client.name,
            name=placement.candidate_name.split(" ")[0],
        )


def exit_message(*, invitation, token: str, kind: str = "invitation", sequence: int = 0):
    """The personal link to the exit questionnaire (or its one reminder), from the recruiter."""
    language = invitation.language
    answer_url = site_url(f"/s/{token}/")
    unsubscribe_url = site_url(f"/s/{token}/unsubscribe/")
    recruiter = invitation.recruiter
    with translation.override(language):
        context = {
            "t": texts(invitation.placement, language=language),
            "invitation": invitation,
            "answer_url": answer_url,
            "unsubscribe_url": unsubscribe_url,
            "recruiter_name": recruiter.get_full_name() or recruiter.email,
        }
    return message(
        "exit",
        context,
        to=[invitation.placement.candidate_email],
        language=language,
        sender_name=recruiter.get_full_name() or recruiter.email,
        reply_to=[recruiter.email],
        headers={"Message-ID": f"<evalportal.exit-{kind}.{invitation.pk}.{sequence}@{domain()}>"}
        | unsubscribe_headers(unsubscribe_url),
    )
