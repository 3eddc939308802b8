"""The exit questionnaire: six recruitment questions with their themes, and the employer NPS.

Each theme is a short code the pattern reports count; the list is fixed (and translated) so that two leavers
who say the same thing are counted together. A code belongs to one question.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

QUESTIONS = ("vacancy", "process", "skills", "workload", "team", "development")


class Theme(models.TextChoices):
    # 1. Did the vacancy text match reality?
    VACANCY_TASKS = "vacancy_tasks", _("The tasks differed from the vacancy text")
    VACANCY_LEVEL = "vacancy_level", _("The level or responsibility differed")
    VACANCY_TERMS = "vacancy_terms", _("Pay or terms differed from what was advertised")
    VACANCY_HOURS = "vacancy_hours", _("Hours, location or working from home differed")
    # 2. What would you have wanted to know during the application process?
    KNOW_CULTURE = "know_culture", _("The culture and the way of working")
    KNOW_WORKLOAD = "know_workload", _("The workload and the peak periods")
    KNOW_MANAGER = "know_manager", _("The manager and the team")
    KNOW_GROWTH = "know_growth", _("The prospects for growth")
    KNOW_TERMS = "know_terms", _("The contract and the terms")
    # 3. Which skills turned out more important than expected?
    SKILL_SPECIALIST = "skill_specialist", _("Specialist or technical knowledge")
    SKILL_COMMUNICATION = "skill_communication", _("Communication with colleagues and stakeholders")
    SKILL_INDEPENDENCE = "skill_independence", _("Working independently")
    SKILL_PRESSURE = "skill_pressure", _("Working under pressure")
    SKILL_LANGUAGE = "skill_language", _("Language")
    # 4. How did workload and pace compare with what you expected?
    WORKLOAD_HIGHER = "workload_higher", _("Higher than expected")
    WORKLOAD_PEAKS = "workload_peaks", _("Peak periods nobody mentioned")
    WORKLOAD_OVERTIME = "workload_overtime", _("Overtime or irregular hours")
    WORKLOAD_LOWER = "workload_lower", _("Too little to do")
    # 5. How did the team compare with what was presented?
    TEAM_MANAGER = "team_manager", _("The manager")
    TEAM_COMPOSITION = "team_composition", _("The size or make-up of the team")
    TEAM_ATMOSPHERE = "team_atmosphere", _("The atmosphere")
    TEAM_ONBOARDING = "team_onboarding", _("The onboarding and support")
    # 6. Which development opportunities had you expected?
    DEV_TRAINING = "dev_training", _("Training and courses")
    DEV_CAREER = "dev_career", _("A career path or promotion")
    DEV_COACHING = "dev_coaching", _("Coaching or a mentor")
    DEV_RESPONSIBILITY = "dev_responsibility", _("More responsibility")


THEMES_OF = {
    question: [t for t in Theme if t.value.split("_")[0] == prefix]
    for question, prefix in (
        ("vacancy", "vacancy"),
        ("process", "know"),
        ("skills", "skill"),
        ("workload", "workload"),
        ("team", "team"),
        ("development", "dev"),
    )
}
QUESTION_OF = {theme.value: question for question, themes in THEMES_OF.items() for theme in themes}


class ChangeKind(models.TextChoices):
    VACANCY_TEXT = "vacancy_text", _("The vacancy text rewritten")
    SCREENING = "screening", _("A question added to the screening")
    PEAKS = "peaks", _("A realistic description of peak periods")
    BRIEFING = "briefing", _("The intake with the client changed")
    OTHER = "other", _("Something else")
