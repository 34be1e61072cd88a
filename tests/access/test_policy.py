"""The rules of access as data (pure Python)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regietafel.access.policy import ACTIONS, ALL, OWN, RULES, Role, scope_of

roles = st.sampled_from(list(Role))
resources = st.sampled_from(sorted(RULES))
actions = st.sampled_from(ACTIONS)


@given(roles, resources, actions)
def test_every_answer_is_all_own_or_nothing(role, resource, action):
    assert scope_of(role, resource, action) in (ALL, OWN, None)


@given(resources, actions)
def test_a_user_without_a_role_may_do_nothing(resource, action):
    assert scope_of(Role.NONE, resource, action) is None


@given(resources, actions)
def test_the_program_team_may_do_everything_it_is_offered(resource, action):
    # Whatever anyone may do, the beheerder may do on all objects.
    if any(scope_of(role, resource, action) for role in Role):
        assert scope_of(Role.ADMIN, resource, action) == ALL


@given(roles, st.sampled_from(["view", "add", "change", "delete"]))
def test_persons_only_for_the_program_team_and_the_own_municipality(role, action):
    expected = {Role.ADMIN: ALL, Role.MUNICIPALITY: OWN}.get(role)
    assert scope_of(role, "persons", action) == expected


@given(roles, resources)
def test_who_may_change_may_see(role, resource):
    if scope_of(role, resource, "change") is not None:
        assert scope_of(role, resource, "view") is not None


def test_administration_is_the_program_teams_alone():
    for action in ACTIONS:
        assert [role for role in Role if scope_of(role, "administration", action)] == (
            [Role.ADMIN] if action in RULES["administration"] else []
        )


def test_unknown_names_are_errors_not_refusals():
    with pytest.raises(KeyError):
        scope_of(Role.ADMIN, "housholds", "view")
    with pytest.raises(KeyError):
        scope_of(Role.ADMIN, "persons", "read")
