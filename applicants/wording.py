"""What an introduced candidate reads, in the tone the organisation chose (Organisation.candidate_tone), as
checkins.wording: each text twice, under "candidate, informal" and "candidate, formal"."""

from django.utils.translation import pgettext_lazy

from checkins.wording import FORMAL, INFORMAL

TEXTS = {
    "subject": {
        INFORMAL: pgettext_lazy(
            "candidate, informal", "%(agency)s: how did you experience your application for %(title)s?"
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal", "%(agency)s: how did you experience your application for %(title)s?"
        ),
    },
    "greeting": {
        INFORMAL: pgettext_lazy("candidate, informal", "Hello %(name)s,"),
        FORMAL: pgettext_lazy("candidate, formal", "Hello %(name)s,"),
    },
    "intro": {
        INFORMAL: pgettext_lazy(
            "candidate, informal",
            "You recently heard the outcome of your application for %(title)s through %(agency)s. Whatever the"
            " outcome, we would like to know how you experienced it. Four short questions; about a minute.",
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal",
            "You recently heard the outcome of your application for %(title)s through %(agency)s. Whatever the"
            " outcome, we would like to know how you experienced it. Four short questions; about a minute.",
        ),
    },
    "button": {
        INFORMAL: pgettext_lazy("candidate, informal", "Answer four questions"),
        FORMAL: pgettext_lazy("candidate, formal", "Answer four questions"),
    },
    "reminder_intro": {
        INFORMAL: pgettext_lazy(
            "candidate, informal", "A short reminder: how did you experience your application for %(title)s?"
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal", "A short reminder: how did you experience your application for %(title)s?"
        ),
    },
    "title": {
        INFORMAL: pgettext_lazy("candidate, informal", "How did you experience your application?"),
        FORMAL: pgettext_lazy("candidate, formal", "How did you experience your application?"),
    },
    "who_reads": {
        INFORMAL: pgettext_lazy(
            "candidate, informal",
            "Your answers go to %(agency)s, the recruitment agency, and not to the employer. %(recruiter)s, your"
            " recruiter, and the administrators of %(agency)s read what you write.",
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal",
            "Your answers go to %(agency)s, the recruitment agency, and not to the employer. %(recruiter)s, your"
            " recruiter, and the administrators of %(agency)s read what you write.",
        ),
    },
    "q_clear": {
        INFORMAL: pgettext_lazy("candidate, informal", "Did you get a clear final answer from us?"),
        FORMAL: pgettext_lazy("candidate, formal", "Did you get a clear final answer from us?"),
    },
    "yes": {
        INFORMAL: pgettext_lazy("candidate, informal", "Yes"),
        FORMAL: pgettext_lazy("candidate, formal", "Yes"),
    },
    "no": {
        INFORMAL: pgettext_lazy("candidate, informal", "No"),
        FORMAL: pgettext_lazy("candidate, formal", "No"),
    },
    "q_useful": {
        INFORMAL: pgettext_lazy("candidate, informal", "Was the feedback you received useful?"),
        FORMAL: pgettext_lazy("candidate, formal", "Was the feedback you received useful?"),
    },
    "useful_scale": {
        INFORMAL: pgettext_lazy("candidate, informal", "1 = not useful at all, 5 = very useful"),
        FORMAL: pgettext_lazy("candidate, formal", "1 = not useful at all, 5 = very useful"),
    },
    "q_nps": {
        INFORMAL: pgettext_lazy("candidate, informal", "Would you recommend %(agency)s to a friend looking for a job?"),
        FORMAL: pgettext_lazy("candidate, formal", "Would you recommend %(agency)s to a friend looking for a job?"),
    },
    "nps_scale": {
        INFORMAL: pgettext_lazy("candidate, informal", "0 = certainly not, 10 = certainly"),
        FORMAL: pgettext_lazy("candidate, formal", "0 = certainly not, 10 = certainly"),
    },
    "q_comment": {
        INFORMAL: pgettext_lazy("candidate, informal", "Is there anything else you want to tell us?"),
        FORMAL: pgettext_lazy("candidate, formal", "Is there anything else you want to tell us?"),
    },
    "optional": {
        INFORMAL: pgettext_lazy("candidate, informal", "(optional)"),
        FORMAL: pgettext_lazy("candidate, formal", "(optional)"),
    },
    "send": {
        INFORMAL: pgettext_lazy("candidate, informal", "Send"),
        FORMAL: pgettext_lazy("candidate, formal", "Send"),
    },
    "thanks": {
        INFORMAL: pgettext_lazy("candidate, informal", "Thank you. %(recruiter)s reads your answers."),
        FORMAL: pgettext_lazy("candidate, formal", "Thank you. %(recruiter)s reads your answers."),
    },
    "change": {
        INFORMAL: pgettext_lazy("candidate, informal", "Change your answers"),
        FORMAL: pgettext_lazy("candidate, formal", "Change your answers"),
    },
    "closed": {
        INFORMAL: pgettext_lazy(
            "candidate, informal", "This survey is closed. Do you still want to tell us something? Reply to the email."
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal", "This survey is closed. Do you still want to tell us something? Reply to the email."
        ),
    },
    "stop_line": {
        INFORMAL: pgettext_lazy("candidate, informal", "Do you not want this kind of email from %(agency)s?"),
        FORMAL: pgettext_lazy("candidate, formal", "Do you not want this kind of email from %(agency)s?"),
    },
    "no_more_button": {
        INFORMAL: pgettext_lazy("candidate, informal", "No more surveys"),
        FORMAL: pgettext_lazy("candidate, formal", "No more surveys"),
    },
    "no_more_question": {
        INFORMAL: pgettext_lazy(
            "candidate, informal", "Do you no longer want surveys from %(agency)s about your applications?"
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal", "Do you no longer want surveys from %(agency)s about your applications?"
        ),
    },
    "no_more_done": {
        INFORMAL: pgettext_lazy(
            "candidate, informal", "Done: %(agency)s sends you no more surveys about your applications."
        ),
        FORMAL: pgettext_lazy(
            "candidate, formal", "Done: %(agency)s sends you no more surveys about your applications."
        ),
    },
}


def texts(tone: str, **names) -> dict[str, str]:
    chosen = FORMAL if tone == FORMAL else INFORMAL
    return {key: str(pair[chosen]) % names for key, pair in TEXTS.items()}
