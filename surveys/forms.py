from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from surveys.models import Survey, Topic
from surveys.services import UNKNOWN_TOPIC

NUL_CHARACTER = _("The text contains a character that is not allowed.")


def reject_nul(value: str) -> str:
    if "\x00" in value:
        raise ValidationError(NUL_CHARACTER, code="nul")
    return value


class NoNulMixin:
    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, NUL_CHARACTER)
        return cleaned


# A new survey starts with the open question on: the one answer that says why. Stored data in its own
# language (like topic wording), not an interface text.
DEFAULT_OPEN_QUESTION = {"nl": "Wat kunnen wij nog beter doen?", "en": "What could we do better?"}


class SurveyForm(NoNulMixin, forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Survey
        fields = ["name", "kind", "intro_nl", "intro_en", "open_question_nl", "open_question_en"]
        widgets = {
            "intro_nl": forms.Textarea(attrs={"rows": 3}),
            "intro_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "intro_nl": _("Shown at the top of the survey. Keep it to one or two sentences."),
            "open_question_nl": _("Leave it empty to ask no open question."),
        }


def parse_topic_ids(values: list[str]) -> list[int]:
    """The posted, ordered topic ids; anything that is not a plain number is refused."""
    ids = []
    for value in values:
        if not (value.isascii() and value.isdigit()) or len(value) > 12:
            raise ValidationError(UNKNOWN_TOPIC, code="unknown_topic")
        ids.append(int(value))
    return ids


class TopicForm(NoNulMixin, forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["dimension", "name_nl", "name_en", "question_nl", "question_en"]
        help_texts = {"question_nl": _("One focused question, answered from 1 (very poor) to 5 (excellent).")}


class DefaultSurveyForm(forms.Form):
    survey = forms.ModelChoiceField(queryset=Survey.objects.none(), label=_("Survey"))

    def __init__(self, *args, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = surveys


class ClientDefaultSurveyForm(DefaultSurveyForm):
    client = forms.ModelChoiceField(queryset=None, label=_("Client"))

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients
        self.order_fields(["client", "survey"])
