"""What the applicants app does when candidates are told their final answer, and its part of a person's data."""

from django.dispatch import receiver

from applicants.models import CandidateFeedback, CandidateSurvey
from placements.models import Applicant
from placements.signals import applicants_answered


@receiver(applicants_answered, dispatch_uid="applicants_survey_after_answer")
def _answered(sender, applicant_ids, **kwargs):
    from applicants import services

    services.surveys_schedule(applicant_ids=applicant_ids)


def _iso(value):
    return value.isoformat() if value is not None else None


def _mine(organisation, email: str):
    email = email.strip().lower()
    return Applicant.objects.filter(organisation=organisation, email=email).exclude(email="")


class PersonData:
    """The vacancies a person was introduced for, their stages and their experience survey, found by address."""

    def export(self, organisation, email: str) -> dict:
        applicants = list(_mine(organisation, email).select_related("vacancy__client", "vacancy__recruiter"))
        surveys = {s.applicant_id: s for s in CandidateSurvey.objects.filter(applicant__in=applicants)}
        feedback = {f.survey_id: f for f in CandidateFeedback.objects.filter(survey__in=surveys.values())}
        rows = []
        for a in applicants:
            survey = surveys.get(a.pk)
            answers = feedback.get(survey.pk) if survey else None
            rows.append(
                {
                    "name": a.name,
                    "email": a.email,
                    "language": a.language,
                    "vacancy": a.vacancy.title,
                    "client": a.vacancy.client.name,
                    "recruiter": str(a.vacancy.recruiter),
                    "stage": a.stage,
                    "introduced_on": _iso(a.introduced_on),
                    "stage_on": _iso(a.stage_on),
                    "told_on": _iso(a.told_on),
                    "kept_on_file_until": _iso(a.kept_on_file_until),
                    "experience_survey": None
                    if survey is None
                    else {
                        "status": survey.status,
                        "sent_at": _iso(survey.sent_at),
                        "answered_at": _iso(survey.answered_at),
                        "opted_out_at": _iso(survey.opted_out_at),
                        "clear_answer": answers.clear_answer if answers else None,
                        "feedback_useful": answers.feedback_useful if answers else None,
                        "nps": answers.nps if answers else None,
                        "comment": answers.comment if answers else "",
                    },
                }
            )
        return {"introduced_for_vacancies": rows}

    def erase(self, organisation, email: str) -> dict:
        from applicants import services

        return services.anonymise(_mine(organisation, email))
