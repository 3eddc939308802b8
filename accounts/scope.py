"""The one rule of who sees whose data. Every list, detail page, dashboard and export asks here.

A recruiter sees their own work, a team lead the work of the teams they lead (and their own), an
administrator the whole organisation; nobody ever sees another organisation's rows. "Work" is what a
row names as its recruiter: a placement's recruiter, a response's recruiter, a follow-up's owner.
"""

from django.db.models import Q, QuerySet

from accounts.models import Team, User


def visible_recruiters(*, user: User) -> QuerySet[User]:
    """The users whose placements, responses and follow-ups `user` may see."""
    users = User.objects.filter(organisation_id=user.organisation_id)
    if user.role == User.Role.ADMIN:
        return users
    if user.role == User.Role.TEAM_LEAD:
        team_ids = Team.objects.filter(leads=user).values("pk")
        return users.filter(pk__in=User.objects.filter(teams__in=team_ids).values("pk")) | users.filter(pk=user.pk)
    return users.filter(pk=user.pk)


def visible_teams(*, user: User) -> QuerySet[Team]:
    """The teams `user` may choose in a filter: an administrator's all, a team lead's own, a recruiter's own."""
    teams = Team.objects.filter(organisation_id=user.organisation_id)
    if user.role == User.Role.ADMIN:
        return teams
    if user.role == User.Role.TEAM_LEAD:
        return teams.filter(leads=user)
    return teams.filter(members=user)


def recruiter_ids(*, user: User, team: int | None = None) -> list[int] | None:
    """The ids of the recruiters `user` may see, within `team` when given; None for the whole organisation
    (an administrator without a team). A list of ids lets the database plan each query on what it is."""
    if user.role == User.Role.ADMIN and not team:
        return None
    recruiters = visible_recruiters(user=user)
    if team:
        recruiters = recruiters.filter(teams__in=visible_teams(user=user).filter(pk=team))
    return list(recruiters.values_list("pk", flat=True))


def visible(*, user: User, recruiter_field: str = "recruiter", prefix: str = "") -> Q:
    """The rows of `user`'s organisation whose `recruiter_field` is someone `user` may see."""
    q = Q(**{f"{prefix}organisation_id": user.organisation_id})
    if user.role != User.Role.ADMIN:
        q &= Q(**{f"{prefix}{recruiter_field}__in": visible_recruiters(user=user)})
    return q
