"""Realistic demo data for the running app: an agency with two teams.

Idempotent: every record is found by a natural key before it is created, so
running seed_demo twice leaves the same rows.
"""

from django.db import transaction

from accounts import demo
from accounts.models import Organisation, User
from accounts.services import team_ensure, user_ensure


@transaction.atomic
def seed(*, placements: int = 600) -> dict:
    organisation, _ = Organisation.objects.get_or_create(name=demo.DEMO_ORGANISATION)
    email, first, last, role = demo.ADMIN
    user_ensure(
        organisation=organisation, email=email, first_name=first, last_name=last, role=role, password=demo.DEMO_PASSWORD
    )
    for team_name, people in demo.TEAMS.items():
        lead = user_ensure(organisation=organisation, **_person(people["lead"]), password=demo.DEMO_PASSWORD)
        recruiters = [
            user_ensure(organisation=organisation, **_person(p), password=demo.DEMO_PASSWORD)
            for p in people["recruiters"]
        ]
        team_ensure(organisation=organisation, name=team_name, leads=[lead], members=recruiters)
    return {"users": User.objects.filter(organisation=organisation).count()}


def _person(row):
    email, first, last, role = row
    return {"email": email, "first_name": first, "last_name": last, "role": role}
