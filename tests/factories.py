"""The smallest valid rows with readable defaults: make_<thing>(**overrides)."""

import itertools

from accounts.models import Organisation, Team, User

_seq = itertools.count(1)


def make_organisation(**overrides) -> Organisation:
    fields = {"name": f"Agency {next(_seq)}"} | overrides
    return Organisation.objects.create(**fields)


def make_user(*, organisation: Organisation | None = None, role: str = User.Role.RECRUITER, **overrides) -> User:
    n = next(_seq)
    fields = {
        "email": f"user{n}@agency.test",
        "first_name": "Sam",
        "last_name": f"Recruiter {n}",
        "role": role,
        "organisation": organisation or make_organisation(),
    } | overrides
    password = fields.pop("password", "correct horse battery staple")
    user = User.objects.create_user(**fields)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def make_team(*, organisation: Organisation, leads=(), members=(), **overrides) -> Team:
    team = Team.objects.create(organisation=organisation, name=overrides.pop("name", f"Team {next(_seq)}"), **overrides)
    team.leads.add(*leads)
    team.members.add(*members)
    return team
