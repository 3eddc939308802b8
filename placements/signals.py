"""Signals through which later apps react to placements, without placements importing them.

Both are sent inside the transaction that changed the placement, so a
receiver's writes commit or roll back together with it.
"""

from django.dispatch import Signal

# sent with placement=<Placement>; for placement_closed, the placement and its hiring manager
# (placement.contact) were read with a row lock in this transaction, so both are current and held.
placement_closed = Signal()
placement_cancelled = Signal()
# sent with placement=<Placement> when a departure is recorded (the last working day): the candidate has gone.
placement_left = Signal()
# sent with applicant_ids=[...] after the commit of a call that told introduced candidates their final answer.
applicants_answered = Signal()
