import pytest

from tests import factories


@pytest.fixture
def survey(organisation, recruiter):
    return factories.make_default_survey(organisation=organisation, user=recruiter)


@pytest.fixture
def placement(recruiter, survey):
    return factories.make_placement(recruiter=recruiter)


@pytest.fixture
def sent(placement, django_capture_on_commit_callbacks):
    """An invitation that was sent, and the token from its email."""
    return factories.close_and_send(placement, captured=django_capture_on_commit_callbacks)


@pytest.fixture
def invitation(sent):
    return sent[0]


@pytest.fixture
def token(sent):
    return sent[1]
