"""The candidate's experience survey and the recruiter's alert about candidates waiting; rendering is
outreach.emails'."""

from django.utils import translation

from applicants import wording
from outreach.emails import domain, message, site_url, unsubscribe_headers


def texts(survey, *, language: str) -> dict[str, str]:
    """Every text the candidate reads about this application, in its language and the organisation's tone."""
    applicant, recruiter = survey.applicant, survey.recruiter
    with translation.override(language):
        return wording.texts(
            survey.organisation.candidate_tone,
            recruiter=recruiter.get_full_name() or recruiter.email,
            agency=survey.organisation.name,
            title=applicant.vacancy.title,
            name=(applicant.name or "").split(" ")[0],
        )


def survey_message(*, survey, token: str, kind: str = "invitation", sequence: int = 0):
    """The personal link to the experience survey (or its one reminder), from the recruiter."""
    language = survey.language
    unsubscribe_url = site_url(f"/s/{token}/unsubscribe/")
    recruiter = survey.recruiter
    context = {
        "t": texts(survey, language=language),
        "survey": survey,
        "reminder": kind == "reminder",
        "answer_url": site_url(f"/s/{token}/"),
        "unsubscribe_url": unsubscribe_url,
        "recruiter_name": recruiter.get_full_name() or recruiter.email,
    }
    return message(
        "candidate_survey",
        context,
        to=[survey.applicant.email],
        language=language,
        sender_name=recruiter.get_full_name() or recruiter.email,
        reply_to=[recruiter.email],
        headers={"Message-ID": f"<evalportal.candidate-{kind}.{survey.pk}.{sequence}@{domain()}>"}
        | unsubscribe_headers(unsubscribe_url),
    )


def loops_alert_message(*, recruiter, vacancies: list[tuple], count: int):
    """Tell the recruiter which of their vacancies have candidates waiting for a final answer. No names: the
    list behind the link has them."""
    context = {"recruiter": recruiter, "vacancies": vacancies, "count": count, "url": site_url("/follow-ups/")}
    return message("loops_alert", context, to=[recruiter.email], language="nl")
