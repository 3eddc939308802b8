"""Input parsing for the answer page and the follow-up forms.

The answer page is parsed strictly by hand: only the plain ASCII digits that
were offered count as scores (Django's IntegerField would also take "３"
and "٣"), a repeated field or a question that is not in this survey
version is refused, and nothing is stored unless everything parses.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nps.models import FollowUp

COMMENT_MAX = 5000
NPS_RE = re.compile(r"(?:10|[0-9])\Z")
TOPIC_RE = re.compile(r"[1-5]\Z")
TOPIC_FIELD = re.compile(r"topic_(\d{1,12})\Z")

BAD_NPS = _("Choose a score from 0 to 10.")
BAD_TOPIC = _("Choose a score from 1 to 5.")
UNKNOWN_QUESTION = _("This page contains a question that is not part of your survey. Please reload the page.")
REPEATED_FIELD = _("Each question can be answered only once. Please reload the page.")
COMMENT_TOO_LONG = _("Please keep your answer under %(max)d characters.")
UNREADABLE_TEXT = _("Your text contains characters that could not be read. Please type it again.")


class BadRequest(Exception):
    """Input that no form on our pages can produce: answered with 400."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def parse_answers(post, *, topics: dict[int, int]) -> tuple[int | None, dict[int, tuple[int, int]], str | None, dict]:
    """Return (nps, {version_topic_id: (topic_id, score)}, comment, field errors).

    `topics` maps the version's topic ids to their library topic ids.
    """
    errors = {}
    for key in post:
        if len(post.getlist(key)) > 1:
            raise BadRequest(REPEATED_FIELD)
        match = TOPIC_FIELD.match(key)
        if key.startswith("topic_") and (not match or int(match.group(1)) not in topics):
            raise BadRequest(UNKNOWN_QUESTION)
    nps = None
    raw = post.get("nps", "")
    if raw != "":
        if NPS_RE.match(raw):
            nps = int(raw)
        else:
            errors["nps"] = BAD_NPS
    answers = {}
    for version_topic_id, topic_id in topics.items():
        raw = post.get(f"topic_{version_topic_id}", "")
        if raw == "":
            continue
        if TOPIC_RE.match(raw):
            answers[version_topic_id] = (topic_id, int(raw))
        else:
            errors[f"topic_{version_topic_id}"] = BAD_TOPIC
    comment = post.get("comment")
    if comment is not None:
        comment = comment.replace("\r\n", "\n").strip()
        if len(comment) > COMMENT_MAX:
            errors["comment"] = COMMENT_TOO_LONG % {"max": COMMENT_MAX}
        elif "\x00" in comment or "\ufffd" in comment:
            errors["comment"] = UNREADABLE_TEXT
    return nps, answers, comment, errors


class FollowUpForm(forms.ModelForm):
    client_needs = forms.MultipleChoiceField(
        label=_("What did you need from the client to do better?"),
        choices=FollowUp.ClientNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    send_closing_email = forms.BooleanField(
        label=_("Send the hiring manager a short thank-you email when I close this follow-up"), required=False
    )
    closing_note = forms.CharField(
        label=_("Personal line for that email (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    class Meta:
        model = FollowUp
        fields = [
            "status",
            "planned_at",
            "due_date",
            "went_well",
            "could_be_better",
            "expectations",
            "client_needs",
            "client_needs_note",
            "outcome",
        ]
        widgets = {
            "planned_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "went_well": forms.Textarea(attrs={"rows": 3}),
            "could_be_better": forms.Textarea(attrs={"rows": 3}),
            "expectations": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, UNREADABLE_TEXT)
        if "other" in (cleaned.get("client_needs") or []) and not cleaned.get("client_needs_note"):
            self.add_error("client_needs_note", _("Describe what else you needed."))
        return cleaned


def parse_live_scores(post, *, topic_ids: set[int]) -> dict[int, int]:
    scores = {}
    for pk in topic_ids:
        raw = post.get(f"live_{pk}", "")
        if raw == "":
            continue
        if not TOPIC_RE.match(raw):
            raise ValidationError(BAD_TOPIC)
        scores[pk] = int(raw)
    return scores
