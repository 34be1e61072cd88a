"""Writing conditions: every change leaves history lines, and an edit based on an older version is refused."""

import pytest
from django.test import override_settings
from django.utils.translation import override

from regietafel.conditions.models import Condition, ConditionChange
from regietafel.conditions.services import ConditionError, save_condition, set_status
from regietafel.core.models import Theme
from regietafel.core.versioning import StaleEdit
from regietafel.organisations.models import Organisation

NOT_AGREED = Condition.Status.NOT_AGREED
AGREED = Condition.Status.AGREED
PILOT = Condition.Status.PILOT_REQUESTED


def history(condition) -> list[tuple[str, str, str]]:
    return [(c.field, c.old_value, c.new_value) for c in condition.changes.order_by("pk")]


def edit(condition, version, user, **changes):
    values = {
        "title": condition.title,
        "theme": condition.theme,
        "status": condition.status,
        "description": condition.description,
        "what_we_ask": condition.what_we_ask,
        "owner": condition.owner,
        "owner_name": condition.owner_name,
    }
    values.update(changes)
    return save_condition(condition, **values, version=version, user=user)


def test_a_new_condition_starts_at_version_1_with_a_history_line_per_field(region, user):
    condition = save_condition(
        None,
        title="Structurele financiering",
        theme=Theme.objects.get(slug="finance"),
        what_we_ask="Een meerjarige vergoeding.",
        owner_name="Portefeuillehouder financiën",
        region=region,
        user=user,
    )

    assert condition.version == 1
    assert condition.status == NOT_AGREED
    assert not condition.is_demo
    assert history(condition) == [
        ("title", "", "Structurele financiering"),
        ("theme", "", "Financiën"),
        ("status", "", "not_agreed"),
        ("what_we_ask", "", "Een meerjarige vergoeding."),
        ("owner_name", "", "Portefeuillehouder financiën"),
        ("region", "", "IJsselland"),
    ]
    assert {change.changed_by for change in condition.changes.all()} == {user}


def test_a_new_condition_goes_to_the_default_region(region, user):
    condition = save_condition(None, title="Zorg", theme=Theme.objects.get(slug="care"), what_we_ask="GGZ.")
    assert condition.region == region


@override_settings(REGIETAFEL_DEFAULT_REGION="VR99")
def test_without_the_default_region_a_new_condition_is_refused(region):
    with pytest.raises(ConditionError):
        save_condition(None, title="Zorg", theme=Theme.objects.get(slug="care"), what_we_ask="GGZ.")
    assert Condition.objects.count() == 0


def test_a_typed_theme_name_creates_the_theme_once(region, user):
    first = save_condition(None, title="A", theme="  Sport  en   bewegen ", what_we_ask="x", user=user)
    second = save_condition(None, title="B", theme="sport en bewegen", what_we_ask="y", user=user)

    assert first.theme == second.theme
    assert first.theme.name == "Sport en bewegen"
    assert first.theme.slug == "sport-en-bewegen"
    assert Theme.objects.filter(name__iexact="sport en bewegen").count() == 1


def test_a_typed_name_of_an_existing_theme_uses_that_theme(region, user):
    themes = Theme.objects.count()
    condition = save_condition(None, title="A", theme="ONDERWIJS", what_we_ask="x", user=user)
    assert condition.theme.slug == "education"
    assert Theme.objects.count() == themes


def test_a_new_theme_whose_slug_is_taken_gets_its_own_slug(region, user):
    Theme.objects.create(name="Something else", slug="zorg-en-welzijn")
    condition = save_condition(None, title="A", theme="Zorg en welzijn", what_we_ask="x", user=user)
    assert condition.theme.slug == "zorg-en-welzijn-2"


@pytest.mark.parametrize("fields", [{"title": " "}, {"what_we_ask": ""}, {"theme": "  "}, {"status": "done"}])
def test_an_incomplete_condition_is_refused(region, user, fields):
    values = {"title": "Zorg", "theme": Theme.objects.get(slug="care"), "what_we_ask": "GGZ.", **fields}
    with pytest.raises(ConditionError):
        save_condition(None, **values, user=user)
    assert Condition.objects.count() == 0
    assert ConditionChange.objects.count() == 0


def test_an_edit_records_only_the_changed_fields_with_old_and_new_value(add, user):
    condition = add("Onderwijscapaciteit", "education")
    ggd = Organisation.objects.create(name="GGD IJsselland", kind=Organisation.Kind.CARE)
    before = condition.changes.count()

    saved = edit(
        condition,
        1,
        user,
        title="Capaciteit nieuwkomersonderwijs",
        theme=Theme.objects.get(slug="care"),
        owner=ggd,
    )

    assert saved.version == 2
    saved.refresh_from_db()
    assert saved.title == "Capaciteit nieuwkomersonderwijs"
    assert saved.owner == ggd
    assert history(saved)[before:] == [
        ("title", "Onderwijscapaciteit", "Capaciteit nieuwkomersonderwijs"),
        ("theme", "Onderwijs", "Zorg"),
        ("owner", "", "GGD IJsselland"),
    ]


def test_an_edit_that_changes_nothing_keeps_the_version_and_the_history(add, user):
    condition = add("Onderwijscapaciteit", "education")
    before = history(condition)

    saved = edit(condition, 1, user)

    assert saved.version == 1
    assert history(saved) == before


def test_an_edit_based_on_an_older_version_is_refused_and_keeps_the_newer_one(add, user):
    condition = add("Onderwijscapaciteit", "education")
    edit(condition, 1, user, title="Eerst opgeslagen")
    before = history(condition)

    with override("en"), pytest.raises(StaleEdit) as error:
        edit(condition, 1, user, title="Later opgeslagen")

    assert "Someone else changed this" in str(error.value)
    condition.refresh_from_db()
    assert condition.title == "Eerst opgeslagen"
    assert condition.version == 2
    assert history(condition) == before


def test_an_edit_of_a_deleted_condition_is_refused(add, user):
    condition = add("Onderwijscapaciteit", "education")
    Condition.objects.filter(pk=condition.pk).delete()
    with pytest.raises(StaleEdit):
        edit(condition, 1, user, title="Nieuw")


def test_set_status_records_the_change_with_its_note(add, user):
    condition = add("Voorinburgering in het azc", "pre-integration")

    saved = set_status(condition, PILOT, user, 1, "Besproken met het ministerie op 3 oktober.")

    assert saved.version == 2
    assert Condition.objects.get().status == PILOT
    change = condition.changes.order_by("pk").last()
    assert (change.field, change.old_value, change.new_value) == ("status", NOT_AGREED, PILOT)
    assert change.note == "Besproken met het ministerie op 3 oktober."
    assert change.changed_by == user
    with override("en"):
        assert (change.field_label, change.old_label, change.new_label) == (
            "status",
            "not yet agreed",
            "pilot requested",
        )


def test_set_status_with_an_older_version_is_refused(add, user):
    condition = add("Voorinburgering in het azc", "pre-integration")
    set_status(condition, PILOT, user, 1)

    with pytest.raises(StaleEdit):
        set_status(condition, AGREED, user, 1)

    assert Condition.objects.get().status == PILOT


def test_set_status_refuses_an_unknown_status(add, user):
    condition = add("Voorinburgering in het azc", "pre-integration")
    with pytest.raises(ConditionError):
        set_status(condition, "done", user, 1)
    assert Condition.objects.get().status == NOT_AGREED


def test_the_same_status_with_a_note_records_the_note_and_without_one_changes_nothing(add, user):
    condition = add("Leefbaarheid", "liveability")
    lines = condition.changes.count()

    assert set_status(condition, NOT_AGREED, user, 1).version == 1
    assert condition.changes.count() == lines

    saved = set_status(condition, NOT_AGREED, user, 1, "Nog steeds open na het overleg.")
    assert saved.version == 2
    assert condition.changes.count() == lines + 1
    assert condition.changes.order_by("pk").last().note == "Nog steeds open na het overleg."
