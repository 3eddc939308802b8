"""Who may see whose work. Every role-scoped query starts here."""

from django.db.models import QuerySet

from accounts.models import Team, User


def user_visible_recruiters(*, user: User) -> QuerySet[User]:
    """The users whose placements, responses and follow-ups `user` may see.

    A recruiter sees their own, a team lead the members of the teams they
    lead (and their own), an administrator everyone in the organisation.
    """
    users = User.objects.filter(organisation_id=user.organisation_id)
    if user.role == User.Role.ADMIN:
        return users
    if user.role == User.Role.TEAM_LEAD:
        team_ids = Team.objects.filter(leads=user).values("pk")
        return users.filter(pk__in=User.objects.filter(teams__in=team_ids).values("pk")) | users.filter(pk=user.pk)
    return users.filter(pk=user.pk)


def team_list_for_user(*, user: User) -> QuerySet[Team]:
    teams = Team.objects.filter(organisation_id=user.organisation_id)
    if user.role == User.Role.ADMIN:
        return teams
    if user.role == User.Role.TEAM_LEAD:
        return teams.filter(leads=user)
    return teams.filter(members=user)
