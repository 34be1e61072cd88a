"""Demo conditions: the themes of the seed letter, mixed statuses, always marked as demo data."""

from regietafel.conditions.demo import load_demo
from regietafel.conditions.models import Condition, ConditionChange

SEED_THEMES = {"finance", "education", "care", "participation", "pre-integration", "liveability"}


def test_the_demo_covers_the_seed_themes_with_mixed_statuses(region):
    counts = load_demo()

    conditions = Condition.objects.select_related("theme", "region")
    assert counts == {"randvoorwaarden": conditions.count()}
    assert {c.theme.slug for c in conditions} >= SEED_THEMES
    assert {c.status for c in conditions} == set(Condition.Status.values)
    assert all(c.is_demo for c in conditions)
    assert {c.region.code for c in conditions} == {"VR04"}
    assert all(c.what_we_ask and c.description and c.owner_name for c in conditions)
    finance = conditions.get(title="Structurele financiering van opvang en huisvesting")
    assert finance.theme.slug == "finance"
    assert finance.status == Condition.Status.NOT_AGREED
    assert "opvang" in finance.what_we_ask


def test_loading_again_replaces_the_demo_and_keeps_real_conditions(region, add):
    real = add("Echte randvoorwaarde", "housing")
    first = load_demo()

    second = load_demo()

    assert first == second
    assert Condition.objects.filter(is_demo=True).count() == second["randvoorwaarden"]
    assert Condition.objects.filter(is_demo=False).get() == real
    # The history of the replaced demo conditions went with them.
    assert not ConditionChange.objects.exclude(condition__in=Condition.objects.all()).exists()


def test_demo_conditions_have_a_history_from_their_creation(region):
    load_demo()
    for condition in Condition.objects.all():
        assert condition.changes.filter(field="status", old_value="").exists()
