"""Receivers for placements' signals: the one place where placements start work in nps."""

from django.dispatch import receiver

from nps import services
from placements.signals import placement_cancelled, placement_closed


@receiver(placement_closed, dispatch_uid="nps.schedule_invitation")
def schedule_invitation(sender, placement, **kwargs):
    services.invitation_schedule(placement=placement)


@receiver(placement_closed, dispatch_uid="nps.age_commitments")
def age_commitments(sender, placement, **kwargs):
    services.commitments_age(placement=placement)


@receiver(placement_cancelled, dispatch_uid="nps.cancel_invitation")
def cancel_invitation(sender, placement, **kwargs):
    services.invitation_cancel_for_placement(placement=placement)
