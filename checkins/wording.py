"""What the candidate reads, in the tone the organisation chose (Organisation.candidate_tone).

Each text is written twice, once per tone, under its own translation context: English reads the same either
way, the Dutch catalog says "je" under "candidate, informal" and "u" under "candidate, formal". Texts are
formatted with the page's names (recruiter, agency, client, name, date) and escaped where they are shown.
"""

from django.utils.translation import pgettext_lazy

INFORMAL, FORMAL = "informal", "formal"


def _pair(informal, formal) -> dict:
    return {INFORMAL: informal, FORMAL: formal}


TEXTS = {
    "title": _pair(
        pgettext_lazy("candidate, informal", "How is your new job going?"),
        pgettext_lazy("candidate, formal", "How is your new job going?"),
    ),
    "confidential": _pair(
        pgettext_lazy(
            "candidate, informal",
            "Your answers go to %(recruiter)s, your recruiter at %(agency)s, and never to %(client)s.",
        ),
        pgettext_lazy(
            "candidate, formal",
            "Your answers go to %(recruiter)s, your recruiter at %(agency)s, and never to %(client)s.",
        ),
    ),
    "how_going": _pair(
        pgettext_lazy("candidate, informal", "How is it going at %(client)s?"),
        pgettext_lazy("candidate, formal", "How is it going at %(client)s?"),
    ),
    "how_going_scale": _pair(
        pgettext_lazy("candidate, informal", "1 = very badly, 5 = very well"),
        pgettext_lazy("candidate, formal", "1 = very badly, 5 = very well"),
    ),
    "expectations": _pair(
        pgettext_lazy("candidate, informal", "Is it what you expected?"),
        pgettext_lazy("candidate, formal", "Is it what you expected?"),
    ),
    "expectations_scale": _pair(
        pgettext_lazy("candidate, informal", "Optional. 1 = much worse than expected, 5 = much better."),
        pgettext_lazy("candidate, formal", "Optional. 1 = much worse than expected, 5 = much better."),
    ),
    "exp_role": _pair(
        pgettext_lazy("candidate, informal", "The role, as it was described to you"),
        pgettext_lazy("candidate, formal", "The role, as it was described to you"),
    ),
    "exp_workload": _pair(
        pgettext_lazy("candidate, informal", "The workload"),
        pgettext_lazy("candidate, formal", "The workload"),
    ),
    "exp_team": _pair(
        pgettext_lazy("candidate, informal", "The team"),
        pgettext_lazy("candidate, formal", "The team"),
    ),
    "exp_manager": _pair(
        pgettext_lazy("candidate, informal", "Your manager"),
        pgettext_lazy("candidate, formal", "Your manager"),
    ),
    "nps": _pair(
        pgettext_lazy("candidate, informal", "Would you recommend %(agency)s to a friend who is looking for a job?"),
        pgettext_lazy("candidate, formal", "Would you recommend %(agency)s to a friend who is looking for a job?"),
    ),
    "nps_scale": _pair(
        pgettext_lazy("candidate, informal", "0 = certainly not, 10 = certainly"),
        pgettext_lazy("candidate, formal", "0 = certainly not, 10 = certainly"),
    ),
    "message": _pair(
        pgettext_lazy("candidate, informal", "Is there anything your recruiter should know?"),
        pgettext_lazy("candidate, formal", "Is there anything your recruiter should know?"),
    ),
    "call_me": _pair(
        pgettext_lazy("candidate, informal", "Call me"),
        pgettext_lazy("candidate, formal", "Call me"),
    ),
    "send": _pair(
        pgettext_lazy("candidate, informal", "Send"),
        pgettext_lazy("candidate, formal", "Send"),
    ),
    "thanks": _pair(
        pgettext_lazy("candidate, informal", "Thank you. %(recruiter)s reads your answers."),
        pgettext_lazy("candidate, formal", "Thank you. %(recruiter)s reads your answers."),
    ),
    "called_back": _pair(
        pgettext_lazy("candidate, informal", "%(recruiter)s will call you by %(date)s."),
        pgettext_lazy("candidate, formal", "%(recruiter)s will call you by %(date)s."),
    ),
    "change": _pair(
        pgettext_lazy("candidate, informal", "Change your answers"),
        pgettext_lazy("candidate, formal", "Change your answers"),
    ),
    "closed": _pair(
        pgettext_lazy(
            "candidate, informal",
            "This check-in is closed. Is something on your mind? Reply to the email and your recruiter will get"
            " in touch.",
        ),
        pgettext_lazy(
            "candidate, formal",
            "This check-in is closed. Is something on your mind? Reply to the email and your recruiter will get"
            " in touch.",
        ),
    ),
    "greeting": _pair(
        pgettext_lazy("candidate, informal", "Hello %(name)s,"),
        pgettext_lazy("candidate, formal", "Hello %(name)s,"),
    ),
    "email_intro": _pair(
        pgettext_lazy(
            "candidate, informal",
            "You started at %(client)s on %(date)s. How is it going? One click below is enough; the rest takes"
            " less than a minute.",
        ),
        pgettext_lazy(
            "candidate, formal",
            "You started at %(client)s on %(date)s. How is it going? One click below is enough; the rest takes"
            " less than a minute.",
        ),
    ),
    "email_button": _pair(
        pgettext_lazy("candidate, informal", "Answer the check-in"),
        pgettext_lazy("candidate, formal", "Answer the check-in"),
    ),
    "reminder_intro": _pair(
        pgettext_lazy("candidate, informal", "A short reminder: how is it going at %(client)s?"),
        pgettext_lazy("candidate, formal", "A short reminder: how is it going at %(client)s?"),
    ),
    "no_more": _pair(
        pgettext_lazy("candidate, informal", "No more check-ins"),
        pgettext_lazy("candidate, formal", "No more check-ins"),
    ),
    "no_more_question": _pair(
        pgettext_lazy("candidate, informal", "Do you no longer want check-ins from %(agency)s about this job?"),
        pgettext_lazy("candidate, formal", "Do you no longer want check-ins from %(agency)s about this job?"),
    ),
    "no_more_button": _pair(
        pgettext_lazy("candidate, informal", "Stop the check-ins"),
        pgettext_lazy("candidate, formal", "Stop the check-ins"),
    ),
    "no_more_done": _pair(
        pgettext_lazy("candidate, informal", "%(agency)s will not send you check-ins about this job any more."),
        pgettext_lazy("candidate, formal", "%(agency)s will not send you check-ins about this job any more."),
    ),
}


def texts(tone: str, **names) -> dict[str, str]:
    """Every text in this tone (informal unless formal), with the names filled in."""
    return {key: text(tone, key, **names) for key in TEXTS}


def text(tone: str, key: str, **names) -> str:
    return str(TEXTS[key][FORMAL if tone == FORMAL else INFORMAL]) % names
