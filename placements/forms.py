from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import scope
from accounts.models import User
from placements.models import Client, Contact, Placement

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
        fields = ["client", "contact", "recruiter", "candidate_name", "job_title", "start_date", "probation_end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "probation_end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"contact": _("The hiring manager who gets the survey. Add one under Clients if missing.")}

    def validate_constraints(self):
        """Rules that span fields are the write path's (services.placement_check), with the same message the
        API and the import give; the form checks only the shape of each field."""

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
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

    def _chosen_client(self) -> int | None:
        raw = self.data.get("client") if self.is_bound else (self.initial.get("client") or self.instance.client_id)
        return int(raw) if str(raw or "").isdigit() else None
