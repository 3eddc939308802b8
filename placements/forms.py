from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import scope
from accounts.models import User
from placements.models import Client, Contact, Placement
from placements.probation import ContractType, EndedBy, LeaveReason, Outcome

NUL = _("The text contains a character that is not allowed.")


class CleanTextMixin:
    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, NUL)
        return cleaned


class ClientForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name"]


class ContactForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["client", "name", "email", "phone", "language"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(organisation_id=user.organisation_id)


class PlacementForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Placement
        fields = [
            "client",
            "contact",
            "recruiter",
            "candidate_name",
            "candidate_email",
            "candidate_phone",
            "candidate_language",
            "job_title",
            "job_family",
            "search_started_on",
            "start_date",
            "contract_type",
            "contract_months",
            "probation_end_date",
            "candidates_introduced",
            "client_feedback_days",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "search_started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "candidates_introduced": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "client_feedback_days": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "probation_end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "candidate_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "candidate_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "contract_months": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "job_family": forms.TextInput(attrs={"list": "job-families", "autocomplete": "off"}),
        }
        help_texts = {
            "contact": _("The hiring manager who gets the survey. Add one under Clients if missing."),
            "candidate_email": _(
                "The candidate gets short check-ins until the probation period ends; the answers go to the"
                " recruiter, never to the employer."
            ),
            "search_started_on": _("The day the search for this role started: days to fill count from here."),
            "client_feedback_days": _("How many days the client took (the median) to give feedback on a candidate."),
            "job_family": _(
                "A group of similar roles (Finance, Logistiek). Exit feedback is shown per job family, only as"
                " patterns."
            ),
            "probation_end_date": _(
                "Leave empty for the legal maximum of the contract (art. 7:652 BW); fill in only when the contract"
                " or a collective agreement says otherwise."
            ),
        }
        labels = {"probation_end_date": _("Agreed end of probation")}

    def validate_constraints(self):
        """Rules that span fields are the write path's (services.placement_check), with the same message the
        API and the import give; the form checks only the shape of each field."""

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.probation_end_agreed:
            self.initial["probation_end_date"] = None  # the legal one is derived, not typed: it moves with the start
        self.fields["contract_type"].choices = [("", _("Not known"))] + list(ContractType.choices)
        self.job_families = list(
            Placement.objects.filter(organisation_id=user.organisation_id)
            .exclude(job_family="")
            .order_by("job_family")
            .values_list("job_family", flat=True)
            .distinct()[:200]
        )
        self.fields["candidate_language"].required = False  # Dutch unless chosen otherwise
        org = user.organisation_id
        self.fields["client"].queryset = Client.objects.filter(organisation_id=org)
        # Any of the organisation's hiring managers is a valid answer (placement_check then says plainly when
        # one works at another client); the list offers only the chosen client's, a few instead of thousands.
        self.fields["contact"].queryset = Contact.objects.filter(organisation_id=org)
        client_id = self._chosen_client()
        offered = Contact.objects.filter(organisation_id=org, client_id=client_id).order_by("name") if client_id else []
        empty = _("Choose a hiring manager") if client_id else _("Choose a client first")
        self.fields["contact"].widget.choices = [("", empty)] + [(c.pk, f"{c.name} ({c.email})") for c in offered]
        if user.role == User.Role.RECRUITER:
            self.fields["recruiter"].queryset = User.objects.filter(pk=user.pk)
            self.fields["recruiter"].initial = user.pk
            self.fields["recruiter"].disabled = True
        else:
            self.fields["recruiter"].queryset = scope.visible_recruiters(user=user)

    def clean_candidate_language(self):
        return self.cleaned_data.get("candidate_language") or "nl"

    def _chosen_client(self) -> int | None:
        raw = self.data.get("client") if self.is_bound else (self.initial.get("client") or self.instance.client_id)
        return int(raw) if str(raw or "").isdigit() else None


class OutcomeForm(forms.Form):
    """Still employed after probation, or left (when, who ended it, why); the rules are
    placement_record_outcome's, as in the API and the import."""

    probation_outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(Outcome.STAYED, _("Still employed")), (Outcome.LEFT, _("Has left"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    left_on = forms.DateField(
        label=_("Last working day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    ended_by = forms.ChoiceField(
        label=_("Who ended the employment?"),
        required=False,
        choices=[("", _("Choose"))] + list(EndedBy.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    leave_reason = forms.ChoiceField(
        label=_("Reason for leaving"),
        required=False,
        choices=[("", _("Choose"))] + list(LeaveReason.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
