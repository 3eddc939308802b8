"""nps services, split by use case and re-exported here (as pretix does)."""

from evalportal.working_days import add_working_days  # noqa: F401 - the follow-up due date rule
from nps.services.evaluation import (  # noqa: F401
    commitment_resolve,
    commitments_age,
    commitments_from_followup,
    rating_record,
)
from nps.services.followups import (  # noqa: F401
    followup_notify,
    followup_open_if_needed,
    followup_record_call,
    followup_record_live_scores,
    followup_send_closing,
    followup_update,
    followups_remind_overdue,
)
from nps.services.invitations import (  # noqa: F401
    TemporarySendError,
    invitation_cancel,
    invitation_cancel_for_placement,
    invitation_mark_opened,
    invitation_remind,
    invitation_resend,
    invitation_schedule,
    invitation_send,
    invitations_expire,
    invitations_sweep,
    token_invitation,
)
from nps.services.responses import (  # noqa: F401
    INVITATION_CLOSED,
    NPS_REQUIRED,
    invitation_is_open,
    response_request_call,
    response_save,
)
