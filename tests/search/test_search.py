"""One search over the table's work and the partners (issue 24, part 7), through the same access path as the pages:
what each role finds is what it may open, never a household. Runs on SQLite (FTS5) and PostgreSQL (full text)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from regietafel.persons.models import Household
from regietafel.search.index import KINDS, TABLE, search


def kinds_found(user, query: str) -> set[str]:
    return {result.kind.label for result in search(query, user)}


@pytest.mark.parametrize("role", ["beheerder", "gemeente", "bestuurder", "partner"])
def test_each_role_finds_exactly_what_its_pages_show(world, role):
    """For every searchable kind: the objects found are those the role may open, through ``restrict``."""
    from regietafel.access.scope import restrict

    user = world.users[role]
    for kind in KINDS:
        visible = set(restrict(kind.model.objects.all(), user).values_list("pk", flat=True))
        for obj in kind.model.objects.all():
            title = str(getattr(obj, kind.title))
            found = {result.object.pk for result in search(title, user) if result.kind.label == kind.label}
            assert (obj.pk in found) == (obj.pk in visible), (role, kind.label, title)


def test_a_partner_finds_its_own_actions_but_no_meeting_or_another_partners_action(world):
    partner = world.users["partner"]
    titles = {result.title for result in search("Actie", partner)}
    assert "Actie Partner A" in titles and "Actie Partner B" not in titles
    assert "meetings.Meeting" not in kinds_found(partner, "Regietafel")
    assert "meetings.Meeting" in kinds_found(world.users["gemeente"], "Regietafel")


def test_no_search_finds_a_household(world):
    beheerder = world.users["beheerder"]
    for household in Household.objects.all():
        assert search(household.reference, beheerder) == []
    assert "persons.Household" not in {kind.label for kind in KINDS}


def test_words_are_folded_and_all_must_occur(world):
    beheerder = world.users["beheerder"]
    assert kinds_found(beheerder, "FINANCIERING") == {"conditions.Condition"}
    assert kinds_found(beheerder, "financiëring") == {"conditions.Condition"}
    assert search("financiering onbestaandwoord", beheerder) == []
    assert search("  ", beheerder) == []


def test_the_page_lists_results_with_their_kind(world):
    client = world.client("gemeente")
    page = client.get(reverse("search:results"), {"q": "Werkwijze"}).content.decode()
    assert "Werkwijze Gemeente Raalte" in page and "(Practice)" in page
    assert 'role="search"' in page


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL searches the records themselves")
def test_the_sqlite_index_follows_every_change_and_can_be_rebuilt(world):
    beheerder = world.users["beheerder"]
    condition = world.objects["condition"]["gemeente"]
    condition.title = "Huisvestingsgeld"
    condition.save()
    assert search("Financiering", beheerder) == [] or "conditions.Condition" not in kinds_found(
        beheerder, "Financiering"
    )
    assert kinds_found(beheerder, "huisvestingsgeld") == {"conditions.Condition"}
    condition.delete()
    assert search("huisvestingsgeld", beheerder) == []
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    assert search("Actie", beheerder) == []
    call_command("reindex")
    assert "meetings.Action" in kinds_found(beheerder, "Actie")


def test_bodies_and_forums_are_found_by_name(world):
    """Found in stop 35: a search for "Twente" found nothing after "Regietafel Twente" was created."""
    from regietafel.meetings import services
    from regietafel.meetings.models import Body, Forum

    services.save_body(Body(name="Regietafel Twente", kind=Body.Kind.STEERING_TABLE))
    services.save_forum(
        Forum(name="Overleg Wonen Twente", kind=Forum.Kind.REGIONAL_CONSULTATION, theme="wonen")
    )
    found = {(result.kind.label, result.title) for result in search("twente", world.users["gemeente"])}
    assert found == {("meetings.Body", "Regietafel Twente"), ("meetings.Forum", "Overleg Wonen Twente")}
    page = world.client("gemeente").get(reverse("search:results"), {"q": "Wonen Twente"}).content.decode()
    assert "#overleg-" in page
