"""The probation period (proeftijd) of a placement, from its contract: art. 7:652 BW.

The law sets a maximum; a collective agreement (cao) may allow longer, so an agreed end date overrides the
legal one. The legal maxima:

- a permanent contract: 2 months;
- a fixed-term contract of 6 months or less: no probation period at all (a cao cannot change this);
- a fixed-term contract of more than 6 months and less than 2 years: 1 month;
- a fixed-term contract of 2 years or more: 2 months;
- a fixed-term contract without a calendar end date (for a project, say): 1 month.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    FIXED_TERM = "fixed_term", _("Fixed term")
    FIXED_TERM_OPEN = "fixed_term_open", _("Fixed term without a calendar end date")


class Outcome(models.TextChoices):
    STAYED = "stayed", _("Still employed after probation")
    LEFT = "left", _("Left during probation")


class EndedBy(models.TextChoices):
    CANDIDATE = "candidate", _("The candidate")
    EMPLOYER = "employer", _("The employer")
    BOTH = "both", _("Both")


class LeaveReason(models.TextChoices):
    """Why a placed candidate left, in categories a team lead can count (the exit feedback says more)."""

    OTHER_JOB = "other_job", _("Another job")
    ROLE = "role", _("The role was not what was expected")
    WORKLOAD = "workload", _("Workload or working hours")
    TEAM = "team", _("The team or the manager")
    PAY = "pay", _("Pay or terms of employment")
    DEVELOPMENT = "development", _("Development or career")
    PERSONAL = "personal", _("Personal circumstances")
    PERFORMANCE = "performance", _("Performance or fit (the employer's decision)")
    BUSINESS = "business", _("Reorganisation or business reasons")
    UNKNOWN = "unknown", _("Not known")


def legal_months(contract_type: str, contract_months: int | None) -> int | None:
    """The legal maximum in months (0: no probation), or None when the contract is not known."""
    if contract_type == ContractType.PERMANENT:
        return 2
    if contract_type == ContractType.FIXED_TERM_OPEN:
        return 1
    if contract_type == ContractType.FIXED_TERM and contract_months:
        if contract_months <= 6:
            return 0
        return 1 if contract_months < 24 else 2
    return None


def legal_end(start: datetime.date | None, contract_type: str, contract_months: int | None) -> datetime.date | None:
    """The last day of the longest probation the law allows, or None (no probation, or not known)."""
    months = legal_months(contract_type, contract_months)
    if not start or not months:
        return None
    return start + relativedelta(months=months) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Terms:
    probation_end_date: datetime.date | None
    probation_end_agreed: bool


def terms(*, start_date, contract_type: str, contract_months: int | None, agreed_end: datetime.date | None) -> Terms:
    """The probation end a placement gets: the agreed date when there is one, else the legal maximum."""
    if agreed_end is not None:
        return Terms(agreed_end, True)
    return Terms(legal_end(start_date, contract_type, contract_months), False)


def basis(placement) -> str:
    """How the probation end date was arrived at, in one sentence for the placement's page."""
    months = legal_months(placement.contract_type, placement.contract_months)
    contract = placement.get_contract_type_display() if placement.contract_type else ""
    if placement.contract_type == ContractType.FIXED_TERM and placement.contract_months:
        contract = _("fixed term of %(months)d months") % {"months": placement.contract_months}
    contract = str(contract).lower()
    if placement.probation_end_agreed:
        legal = legal_end(placement.start_date, placement.contract_type, placement.contract_months)
        if legal and placement.probation_end_date > legal:
            return ngettext(
                "Agreed: later than the legal maximum for this contract (%(contract)s: %(months)d month, until"
                " %(date)s); only a collective agreement (cao) allows that.",
                "Agreed: later than the legal maximum for this contract (%(contract)s: %(months)d months, until"
                " %(date)s); only a collective agreement (cao) allows that.",
                months,
            ) % {"months": months, "contract": contract, "date": legal.strftime("%d-%m-%Y")}
        return _("Agreed in the contract.")
    if months is None:
        return _("No contract type given: enter the contract type or the agreed end of probation.")
    if months == 0:
        return _("No probation period: a fixed-term contract of 6 months or less has none (art. 7:652 BW).")
    return ngettext(
        "The legal maximum for this contract (%(contract)s): %(months)d month from the start (art. 7:652 BW).",
        "The legal maximum for this contract (%(contract)s): %(months)d months from the start (art. 7:652 BW).",
        months,
    ) % {"contract": contract, "months": months}
