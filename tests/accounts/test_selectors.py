import pytest

from accounts.selectors import team_list_for_user, user_visible_recruiters

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
