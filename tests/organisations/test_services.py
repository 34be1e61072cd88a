"""Writes to the partner register: one transaction each, and an edit on an older version is refused."""

import pytest
from django.utils import translation

from regietafel.core.models import Theme
from regietafel.core.versioning import StaleEdit
from regietafel.organisations.models import Contact, Organisation
from regietafel.organisations.services import (
    OrganisationError,
    add_contact,
    delete_contact,
    ensure_municipal_organisations,
    save_contact,
    save_organisation,
)
from regietafel.regions.models import Area


@pytest.fixture(autouse=True)
def english():
    """The messages asserted here are the English msgids; the UI language is Dutch."""
    with translation.override("en"):
        yield


Kind = Organisation.Kind


def edit(organisation, version, user=None, **changes):
    fields = {
        "name": organisation.name,
        "kind": organisation.kind,
        "description": organisation.description,
        "website": organisation.website,
        "municipality": organisation.municipality,
        "themes": organisation.themes.all(),
        "works_in": organisation.works_in.all(),
    }
    fields.update(changes)
    return save_organisation(organisation, version=version, user=user, **fields)


def stored(organisation) -> dict:
    organisation = Organisation.objects.get(pk=organisation.pk)
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "description": organisation.description,
        "version": organisation.version,
        "themes": sorted(organisation.themes.values_list("slug", flat=True)),
        "works_in": sorted(organisation.works_in.values_list("code", flat=True)),
    }


# Organisations -------------------------------------------------------------------------------------


def test_a_new_organisation_starts_at_version_one_with_its_themes_and_municipalities(small_region, add, user):
    organisation = add(
        "Woonstichting Aa",
        Kind.HOUSING_CORPORATION,
        themes=["housing"],
        works_in=["GM9901", "GM9902"],
        description="Verhuurt in Aastad en Beedorp.",
        website="https://woonstichting.example.org",
    )
    assert stored(organisation) == {
        "name": "Woonstichting Aa",
        "kind": "housing_corporation",
        "description": "Verhuurt in Aastad en Beedorp.",
        "version": 1,
        "themes": ["housing"],
        "works_in": ["GM9901", "GM9902"],
    }
    organisation.refresh_from_db()
    assert organisation.updated_by == user
    assert organisation.updated_at is not None
    assert organisation.is_demo is False


def test_an_edit_on_the_current_version_replaces_details_themes_and_municipalities(small_region, add):
    organisation = add("Zorggroep Bee", Kind.CARE, themes=["care"], works_in=["GM9901"])
    edit(
        organisation,
        1,
        name="Zorggroep Bee en Cee",
        themes=Theme.objects.filter(slug__in=["care", "education"]),
        works_in=Area.objects.filter(code="GM9903"),
    )
    assert stored(organisation) == {
        "name": "Zorggroep Bee en Cee",
        "kind": "care",
        "description": "",
        "version": 2,
        "themes": ["care", "education"],
        "works_in": ["GM9903"],
    }


def test_an_edit_based_on_an_older_version_is_refused_and_changes_nothing(small_region, add):
    organisation = add("Zorggroep Bee", Kind.CARE, themes=["care"])
    edit(organisation, 1, description="Eerste bewerking")
    before = stored(organisation)

    with pytest.raises(StaleEdit):
        edit(organisation, 1, description="Tweede bewerking op een oude versie", themes=[])

    assert stored(organisation) == before
    assert before["description"] == "Eerste bewerking"
    assert before["version"] == 2


def test_saving_an_organisation_someone_deleted_is_refused(small_region, add):
    organisation = add("Kerk Cee", Kind.CHURCH)
    Organisation.objects.filter(pk=organisation.pk).delete()
    with pytest.raises(StaleEdit):
        edit(organisation, 1, description="Te laat")
    assert not Organisation.objects.exists()


def test_names_are_unique_whatever_their_case(small_region, add):
    add("Zorggroep Bee", Kind.CARE)
    with pytest.raises(OrganisationError, match="already an organisation"):
        add("zorggroep bee", Kind.CHURCH)
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "municipality", "works_in", "message"),
    [
        (Kind.CARE, "GM9901", [], "Only an organisation of type municipality"),
        (Kind.MUNICIPALITY, "VR99", [], "not a municipality"),
        (Kind.CARE, None, ["VR99"], "municipalities only"),
        ("guild", None, [], "Unknown type"),
    ],
)
def test_inconsistent_details_are_refused(small_region, kind, municipality, works_in, message):
    with pytest.raises(OrganisationError, match=message):
        save_organisation(
            None,
            name="Nieuw",
            kind=kind,
            municipality=Area.objects.filter(code=municipality).first(),
            works_in=Area.objects.filter(code__in=works_in),
            version=None,
        )
    assert not Organisation.objects.exists()


def test_a_municipality_has_one_organisation(small_region, add):
    aastad = Area.objects.get(code="GM9901")
    add("Gemeente Aastad", Kind.MUNICIPALITY, municipality=aastad)
    with pytest.raises(OrganisationError, match="already has its own organisation"):
        add("Stadsbestuur Aastad", Kind.MUNICIPALITY, municipality=aastad)


# Contacts ------------------------------------------------------------------------------------------


def test_contacts_can_be_added_changed_and_removed(small_region, add, user):
    organisation = add("Zorggroep Bee", Kind.CARE)
    Organisation.objects.filter(pk=organisation.pk).update(updated_by=None)

    contact = add_contact(
        organisation, name=" Anna ", role="Coördinator", email="anna@example.org", user=user
    )
    assert (contact.name, contact.version) == ("Anna", 1)
    organisation.refresh_from_db()
    assert organisation.updated_by == user
    assert organisation.version == 1, "a contact change does not make an open edit of the details stale"

    changed = save_contact(
        contact, name="Anna", role="Teamleider", email="anna@example.org", phone="038 123 45 67", version=1
    )
    assert (changed.role, changed.phone, changed.version) == ("Teamleider", "038 123 45 67", 2)

    delete_contact(contact, version=2)
    assert not Contact.objects.exists()


def test_a_contact_edit_based_on_an_older_version_is_refused(small_region, add):
    contact = add_contact(add("Zorggroep Bee", Kind.CARE), name="Anna", role="Coördinator")
    save_contact(contact, name="Anna", role="Teamleider", email="", phone="", version=1)

    with pytest.raises(StaleEdit):
        save_contact(contact, name="Anna", role="Stagiair", email="", phone="", version=1)
    with pytest.raises(StaleEdit):
        delete_contact(contact, version=1)

    contact.refresh_from_db()
    assert (contact.role, contact.version) == ("Teamleider", 2)


def test_changing_a_contact_someone_removed_is_refused(small_region, add):
    contact = add_contact(add("Zorggroep Bee", Kind.CARE), name="Anna")
    delete_contact(contact, version=1)
    with pytest.raises(StaleEdit, match="deleted"):
        save_contact(contact, name="Anna", role="", email="", phone="", version=1)
    with pytest.raises(StaleEdit, match="deleted"):
        delete_contact(contact, version=1)


# Municipal organisations ---------------------------------------------------------------------------


def municipal() -> dict[str, tuple[int, str, list[str]]]:
    return {
        organisation.municipality.code: (
            organisation.pk,
            organisation.name,
            [area.code for area in organisation.works_in.all()],
        )
        for organisation in Organisation.objects.filter(kind=Kind.MUNICIPALITY).select_related("municipality")
    }


def test_every_municipality_of_the_region_gets_one_organisation(small_region):
    assert ensure_municipal_organisations(small_region) == 3
    found = municipal()
    assert {code: (name, works_in) for code, (_pk, name, works_in) in found.items()} == {
        "GM9901": ("Gemeente Aastad", ["GM9901"]),
        "GM9902": ("Gemeente Beedorp", ["GM9902"]),
        "GM9903": ("Gemeente Ceeveen", ["GM9903"]),
    }
    assert not Organisation.objects.filter(is_demo=True).exists()


def test_municipal_organisations_are_created_once_and_keep_what_users_changed(small_region):
    ensure_municipal_organisations(small_region)
    aastad = Organisation.objects.get(municipality__code="GM9901")
    edit(aastad, 1, description="Gemeente met een azc", themes=Theme.objects.filter(slug="reception"))
    first = municipal()

    assert ensure_municipal_organisations(small_region) == 0

    assert municipal() == first
    assert stored(aastad)["description"] == "Gemeente met een azc"
    assert stored(aastad)["themes"] == ["reception"]


def test_an_unlinked_municipal_organisation_of_the_same_name_is_linked_not_duplicated(small_region, add):
    existing = add("Gemeente Aastad", Kind.MUNICIPALITY)
    add("Gemeente Beedorp", Kind.CHURCH)

    assert ensure_municipal_organisations(small_region) == 2

    found = municipal()
    assert found["GM9901"][0] == existing.pk
    assert found["GM9902"][1] == "Gemeente Beedorp (GM9902)"
    assert Organisation.objects.count() == 4
