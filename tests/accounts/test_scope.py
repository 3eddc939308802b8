import pytest

from accounts.scope import visible_recruiters as user_visible_recruiters
from accounts.scope import visible_teams as team_list_for_user

pytestmark = pytest.mark.django_db


def test_a_recruiter_sees_only_themselves(recruiter, other_recruiter):
    assert list(user_visible_recruiters(user=recruiter)) == [recruiter]


def test_a_team_lead_sees_their_team_and_themselves(team_lead, recruiter, other_recruiter):
    assert set(user_visible_recruiters(user=team_lead)) == {team_lead, recruiter}


def test_an_administrator_sees_the_whole_organisation_only(admin_user, recruiter, other_recruiter, outsider):
    visible = set(user_visible_recruiters(user=admin_user))
    assert {admin_user, recruiter, other_recruiter} <= visible
    assert outsider not in visible


def test_teams_by_role(team_lead, recruiter, other_recruiter, admin_user):
    assert [t.name for t in team_list_for_user(user=team_lead)] == ["Techniek"]
    assert [t.name for t in team_list_for_user(user=recruiter)] == ["Techniek"]
    assert list(team_list_for_user(user=other_recruiter)) == []
    assert [t.name for t in team_list_for_user(user=admin_user)] == ["Techniek"]


def test_the_one_rule_filters_any_table_by_its_recruiter_column(
    recruiter, other_recruiter, team_lead, admin_user, outsider
):
    from accounts import scope
    from placements.models import Placement
    from tests import factories

    own = factories.make_placement(recruiter=recruiter)
    other = factories.make_placement(recruiter=other_recruiter)
    foreign = factories.make_placement(recruiter=outsider)

    def seen(user):
        return set(Placement.objects.filter(scope.visible(user=user)))

    assert seen(recruiter) == {own}
    assert seen(team_lead) == {own}
    assert seen(admin_user) == {own, other}
    assert seen(outsider) == {foreign}


def test_recruiter_ids_within_a_team_and_none_for_the_whole_organisation(team_lead, recruiter, admin_user):
    from accounts import scope
    from accounts.models import Team

    team = Team.objects.get(name="Techniek")
    assert scope.recruiter_ids(user=admin_user) is None
    assert set(scope.recruiter_ids(user=admin_user, team=team.pk)) == {recruiter.pk}
    assert set(scope.recruiter_ids(user=team_lead)) == {team_lead.pk, recruiter.pk}
    assert scope.recruiter_ids(user=recruiter, team=team.pk) == [recruiter.pk]
