"""What a leaver reads, in the tone the organisation chose (Organisation.candidate_tone), as checkins.wording:
each text twice, under "candidate, informal" and "candidate, formal"."""

from django.utils.translation import pgettext_lazy

from checkins.wording import FORMAL, INFORMAL

TEXTS = {
    "subject": {
        INFORMAL: pgettext_lazy("candidate, informal", "%(agency)s: a few questions about your time at %(client)s"),
        FORMAL: pgettext_lazy("candidate, formal", "%(agency)s: a few questions about your time at %(client)s"),
    },
    "greeting": {
        INFORMAL: pgettext_lazy("candidate, informal", "Hello %(name)s,"),
        FORMAL: pgettext_lazy("candidate, formal", "Hello %(name)s,"),
    },
    "intro": {
        INFORMAL: pgettext_lazy(
            "candidate, informal",
            "You recently left %(client)s. What you experienced there helps us describe jobs more honestly "
            "and prepare the next candidate better. Seven short questions; about five minutes.",
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal",
            "You recently left %(client)s. What you experienced there helps us describe jobs more honestly "
            "and prepare the next candidate better. Seven short questions; about five minutes.",
        ),
    },
    "confidential": {
        INFORMAL: pgettext_lazy(
            "candidate, informal", "Your answers go to %(agency)s, the recruitment agency, and not to %(client)s."
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal", "Your answers go to %(agency)s, the recruitment agency, and not to %(client)s."
        ),
    },
    "who_reads": {
        INFORMAL: pgettext_lazy(
            "candidate, informal",
            "Only %(recruiter)s, your recruiter, and the administrators of %(agency)s read your answers and "
            "what you write.",
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal",
            "Only %(recruiter)s, your recruiter, and the administrators of %(agency)s read your answers and "
            "what you write.",
        ),
    },
    "what_we_do": {
        INFORMAL: pgettext_lazy(
            "candidate, informal",
            "We use them to improve vacancy texts and the selection. %(client)s hears only patterns that at "
            "least three leavers share, never your name and never your words.",
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal",
            "We use them to improve vacancy texts and the selection. %(client)s hears only patterns that at "
            "least three leavers share, never your name and never your words.",
        ),
    },
    "button": {
        INFORMAL: pgettext_lazy("candidate, informal", "Answer the questions"),
        FORMAL: pgettext_lazy("candidate, formal", "Answer the questions"),
    },
    "stop_line": {
        INFORMAL: pgettext_lazy("candidate, informal", "Rather not? Then ignore this email, or stop it here:"),
        FORMAL: pgettext_lazy("candidate, formal", "Rather not? Then ignore this email, or stop it here:"),
    },
    "title": {
        INFORMAL: pgettext_lazy("candidate, informal", "Looking back on %(client)s"),
        FORMAL: pgettext_lazy("candidate, formal", "Looking back on %(client)s"),
    },
    "q_vacancy": {
        INFORMAL: pgettext_lazy("candidate, informal", "Did the vacancy text match reality?"),
        FORMAL: pgettext_lazy("candidate, formal", "Did the vacancy text match reality?"),
    },
    "q_process": {
        INFORMAL: pgettext_lazy(
            "candidate, informal", "What would you have wanted to know during the application process?"
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal", "What would you have wanted to know during the application process?"
        ),
    },
    "q_skills": {
        INFORMAL: pgettext_lazy("candidate, informal", "Which skills turned out more important than expected?"),
        FORMAL: pgettext_lazy("candidate, formal", "Which skills turned out more important than expected?"),
    },
    "q_workload": {
        INFORMAL: pgettext_lazy("candidate, informal", "How did the workload and pace compare with what you expected?"),
        FORMAL: pgettext_lazy("candidate, formal", "How did the workload and pace compare with what you expected?"),
    },
    "q_team": {
        INFORMAL: pgettext_lazy("candidate, informal", "How did the team compare with what was presented to you?"),
        FORMAL: pgettext_lazy("candidate, formal", "How did the team compare with what was presented to you?"),
    },
    "q_development": {
        INFORMAL: pgettext_lazy("candidate, informal", "Which development opportunities had you expected?"),
        FORMAL: pgettext_lazy("candidate, formal", "Which development opportunities had you expected?"),
    },
    "scale": {
        INFORMAL: pgettext_lazy(
            "candidate, informal", "Did it match your expectations? 1 = not at all, 5 = completely."
        ),
        FORMAL: pgettext_lazy("candidate, formal", "Did it match your expectations? 1 = not at all, 5 = completely."),
    },
    "text_label": {
        INFORMAL: pgettext_lazy("candidate, informal", "Anything you want to add (optional)"),
        FORMAL: pgettext_lazy("candidate, formal", "Anything you want to add (optional)"),
    },
    "q_nps": {
        INFORMAL: pgettext_lazy(
            "candidate, informal", "Would you recommend %(client)s as an employer to friends in your field?"
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal", "Would you recommend %(client)s as an employer to friends in your field?"
        ),
    },
    "thanks": {
        INFORMAL: pgettext_lazy(
            "candidate, informal",
            "Thank you for your answers. %(recruiter)s reads them. You can still change them with the same link.",
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal",
            "Thank you for your answers. %(recruiter)s reads them. You can still change them with the same link.",
        ),
    },
    "no_more_question": {
        INFORMAL: pgettext_lazy("candidate, informal", "Do you want no questions about your time at %(client)s?"),
        FORMAL: pgettext_lazy("candidate, formal", "Do you want no questions about your time at %(client)s?"),
    },
    "no_more_button": {
        INFORMAL: pgettext_lazy("candidate, informal", "No questions, thank you"),
        FORMAL: pgettext_lazy("candidate, formal", "No questions, thank you"),
    },
    "no_more_done": {
        INFORMAL: pgettext_lazy(
            "candidate, informal", "%(agency)s will not ask you about your time at %(client)s again."
        ),
        FORMAL: pgettext_lazy("candidate, formal", "%(agency)s will not ask you about your time at %(client)s again."),
    },
}


def texts(tone: str, **names) -> dict[str, str]:
    """Every text in this tone (informal unless formal), with the names filled in."""
    chosen = FORMAL if tone == FORMAL else INFORMAL
    return {key: str(pair[chosen]) % names for key, pair in TEXTS.items()}
