"""The distribution planner's services: keys, scenarios, offers, adoption and what the monitor then shows."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from regietafel.core.sources import cite
from regietafel.core.versioning import StaleEdit
from regietafel.distribution import services
from regietafel.distribution.dataset import seed_first_cycle
from regietafel.distribution.models import Scenario, ScenarioLine
from regietafel.reception import cycles
from regietafel.reception.ledger import ReceptionLedger
from regietafel.reception.models import Cycle, Location, Programme, ReceptionTask
from regietafel.regions.models import Area

PUBLISHED = {"GM0193": 717, "GM0166": 308, "GM0177": 233, "GM0180": 112}
DAY = datetime.date(2025, 3, 14)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def key(name="Bevolking", count_realised=True, entries=None):
    return services.save_key(
        None,
        name=name,
        description="",
        population_date=datetime.date(2024, 1, 1),
        amv_share=Decimal("0.085"),
        count_realised=count_realised,
        source="test",
        entries=entries,
    )


def scenario(
    the_key, total=100, method="hamilton", area="VR04", programme=Programme.ASYLUM, name="IJsselland"
):
    return services.create_scenario(
        name=name,
        area=Area.objects.get(code=area),
        programme=programme,
        cycle=1,
        total=total,
        total_source="besluit provincie",
        method=method,
        key=the_key,
        realised_on=DAY,
    )


def by_code(result):
    return {line.municipality.code: line for line in result.lines}


def test_the_overijssel_example_sets_population_share_next_to_the_published_numbers(dataset):
    example = seed_first_cycle()
    result = services.compute(example)
    lines = by_code(result)

    assert (example.area.code, example.total, len(result.lines)) == ("PV23", 6325, 25)
    assert result.places == 6325 and result.minors == 538
    assert {code: lines[code].places for code in PUBLISHED} == {
        "GM0193": 708,
        "GM0166": 299,
        "GM0177": 204,
        "GM0180": 94,
    }
    assert {code: lines[code].indicative_places for code in PUBLISHED} == PUBLISHED
    assert lines["GM0177"].difference_from_indicative == -29
    assert "socio-economic score that is not public" in lines["GM0177"].explanation[-1]
    assert not result.uses_demo
    assert seed_first_cycle() == example and Scenario.objects.count() == 1


def test_every_municipality_gets_an_explanation_of_share_and_rounding(dataset):
    result = services.compute(scenario(key()))
    raalte = by_code(result)["GM0177"]
    text = " ".join(raalte.explanation)
    assert "38,364 inhabitants" in text
    assert "Proportional share" in text and "Largest remainder" in text
    assert "unaccompanied minors" in text
    assert sum(line.places for line in result.lines) == 100


@pytest.mark.parametrize("method", ["sainte-lague", "dhondt", "huntington-hill"])
def test_a_divisor_method_explains_its_divisor(dataset, method):
    result = services.compute(scenario(key(), total=500, method=method))
    assert result.places == 500
    assert all("Divisor method" in " ".join(line.explanation) for line in result.lines)


def test_a_factor_in_the_key_changes_the_weight_and_is_explained(dataset):
    raalte = Area.objects.get(code="GM0177")
    plain = by_code(services.compute(scenario(key())))["GM0177"]
    weighted = by_code(
        services.compute(scenario(key("Met factor", entries={raalte: (Decimal("1.5"), 0, None)}), name="B"))
    )["GM0177"]
    assert weighted.places > plain.places
    assert "multiplies this by 1.5" in " ".join(weighted.explanation)


def test_places_already_realised_count_first(dataset):
    Location.objects.create(
        municipality=Area.objects.get(code="GM0177"),
        name="azc Raalte",
        kind=Location.Kind.AZC,
        capacity=60,
        source=cite("COA", "H"),
        reference_date=DAY,
    )
    counted = by_code(services.compute(scenario(key())))["GM0177"]
    assert counted.line.realised == 60 and counted.places == 60
    assert "count first" in " ".join(counted.explanation)
    ignored = by_code(services.compute(scenario(key("Zonder", count_realised=False), name="B")))["GM0177"]
    assert ignored.places < 60


def test_demo_locations_make_the_result_demo(dataset):
    Location.objects.create(
        municipality=Area.objects.get(code="GM0177"),
        name="voorbeeld",
        kind=Location.Kind.AZC,
        capacity=5,
        source=cite("demo", "H"),
        is_demo=True,
    )
    chosen = scenario(key())
    assert services.compute(chosen).uses_demo
    services.adopt(
        chosen, on=DAY, note="test", user=None, version=chosen.version, key_version=chosen.key.version
    )
    assert (
        ReceptionTask.objects.filter(measure=ReceptionTask.Measure.AGREED_PLACES, is_demo=True).count() == 11
    )


def test_an_infeasible_scenario_is_refused_with_the_reason_and_nothing_is_kept(dataset):
    raalte = Area.objects.get(code="GM0177")
    with pytest.raises(services.PlanError, match="add up to 150, more than the total of 100"):
        scenario(key(entries={raalte: (Decimal(1), 150, None)}))
    assert not Scenario.objects.exists() and not ScenarioLine.objects.exists()


def test_a_key_refuses_a_maximum_below_the_minimum_naming_the_municipality(dataset):
    raalte = Area.objects.get(code="GM0177")
    with pytest.raises(services.PlanError, match="Raalte: the maximum"):
        key(entries={raalte: (Decimal(1), 10, 5)})


def test_a_stale_offer_form_is_refused_and_writes_nothing(dataset):
    chosen = scenario(key())
    line = chosen.lines.get(municipality__code="GM0177")
    services.save_offers(chosen, {line.pk: 12}, chosen.version)
    with pytest.raises(StaleEdit):
        services.save_offers(chosen, {line.pk: 99}, chosen.version)
    line.refresh_from_db()
    assert line.offer == 12
    assert (
        by_code(services.compute(chosen))["GM0177"].gap
        == by_code(services.compute(chosen))["GM0177"].places - 12
    )


def test_adoption_feeds_the_monitor_and_supersedes_the_earlier_one(dataset):
    first = scenario(key(), total=1000, name="A")
    services.adopt(
        first,
        on=DAY,
        note="Regietafel 14 maart",
        user=None,
        version=first.version,
        key_version=first.key.version,
    )
    ledger = ReceptionLedger(Area.objects.get(code="VR04"), DAY)
    adopted = {line.municipality.code: line for line in first.lines.select_related("municipality")}
    rows = {row.municipality.code: row for row in ledger.asylum_rows()}
    assert sum(row.task.value for row in rows.values()) == 1000
    for code, row in rows.items():
        assert row.task.value == adopted[code].adopted_places
        assert "scenario A" in next(iter(row.task.refs)).source
    minors = {row.municipality.code: row.task.value for row in ledger.minors_rows()}
    assert minors == {code: line.adopted_minors for code, line in adopted.items()}
    assert sum(minors.values()) == 85

    second = scenario(key("Ander"), total=1200, name="B")
    later = DAY + datetime.timedelta(days=30)
    services.adopt(
        second, on=later, note="", user=None, version=second.version, key_version=second.key.version
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.superseded_on == later and not first.is_adopted and second.is_adopted
    assert (
        sum(r.task.value for r in ReceptionLedger(Area.objects.get(code="VR04"), later).asylum_rows()) == 1200
    )
    # The monitor on an earlier date still shows what applied then.
    assert (
        sum(r.task.value for r in ReceptionLedger(Area.objects.get(code="VR04"), DAY).asylum_rows()) == 1000
    )

    with pytest.raises(services.PlanError, match="already been adopted"):
        services.adopt(
            second, on=later, note="", user=None, version=second.version, key_version=second.key.version
        )
    with pytest.raises(services.PlanError, match="can no longer change"):
        services.save_offers(second, {}, second.version)


def test_without_an_adopted_scenario_the_monitor_keeps_the_indicative_numbers(dataset):
    rows = {
        row.municipality.code: row
        for row in ReceptionLedger(Area.objects.get(code="VR04"), DAY).asylum_rows()
    }
    assert rows["GM0177"].task.value == 233


def test_an_adopted_ukraine_scenario_gives_each_municipality_a_task(dataset):
    chosen = scenario(key(), total=2000, programme=Programme.UKRAINE, name="GOO")
    result = services.compute(chosen)
    raalte = by_code(result)["GM0177"]
    assert raalte.line.realised == 265  # the seed letter's municipal places (no end date known)
    # The share for unaccompanied minors is a Spreidingswet rule: no split for displaced Ukrainians.
    assert result.minors == 0 and not any("minors" in " ".join(line.explanation) for line in result.lines[:1])
    assert raalte.places >= 265
    services.adopt(chosen, on=DAY, note="", user=None, version=chosen.version, key_version=chosen.key.version)
    rows = {
        row.municipality.code: row
        for row in ReceptionLedger(Area.objects.get(code="VR04"), DAY).ukraine_rows()
    }
    assert sum(row.task.value for row in rows.values()) == 2000
    assert rows["GM0177"].share.value == Fraction(265, raalte.places)


def test_a_country_scenario_warns_when_not_every_municipality_is_loaded(dataset):
    population = key()
    result = services.compute(scenario(population, total=96000, area="NL01", name="Nederland"))
    assert len(result.lines) == 25 and result.places == 96000
    assert result.incomplete_area.population == 17942942
    assert (
        services.compute(scenario(population, total=6325, area="PV23", name="Overijssel")).incomplete_area
        is None
    )


def adopt(chosen, on=DAY):
    return services.adopt(
        chosen, on=on, note="", user=None, version=chosen.version, key_version=chosen.key.version
    )


def test_an_adopted_scenario_shows_its_frozen_numbers_and_flags_later_changes(dataset):
    chosen = scenario(key(), total=1000)
    adopt(chosen)
    frozen = {line.municipality.code: line.places for line in services.compute(chosen).lines}
    # A corrected population (say, CBS revised Raalte) would change the computation, not the decision.
    raalte = Area.objects.get(code="GM0177")
    raalte.populations.filter(reference_date=datetime.date(2024, 1, 1)).update(population=380_000)
    result = services.compute(chosen)
    assert {line.municipality.code: line.places for line in result.lines} == frozen
    assert by_code(result)["GM0177"].outcome.places > frozen["GM0177"]
    assert "GM0177" in [m.code for m in result.changed_since_adoption]


def test_a_key_used_by_an_adopted_scenario_refuses_changes_and_can_be_copied(dataset):
    raalte = Area.objects.get(code="GM0177")
    used = key(entries={raalte: (Decimal("1.2"), 5, None)})
    chosen = scenario(used, total=1000)
    adopt(chosen)
    used.refresh_from_db()
    with pytest.raises(services.PlanError, match="adopted on March 14, 2025"):
        services.save_key(
            used,
            name=used.name,
            description="",
            population_date=used.population_date,
            amv_share=Decimal("0.1"),
            count_realised=True,
            source="",
            version=used.version,
        )
    used.refresh_from_db()
    assert used.amv_share == Decimal("0.085")
    copy = services.copy_key(used, name="Bevolking 2")
    assert (copy.amv_share, copy.count_realised, copy.population_date) == (
        used.amv_share,
        used.count_realised,
        used.population_date,
    )
    assert [(e.municipality_id, e.factor, e.minimum, e.maximum) for e in copy.entries.all()] == [
        (raalte.pk, Decimal("1.2"), 5, None)
    ]
    with pytest.raises(services.PlanError, match="already a key called"):
        services.copy_key(used, name="Bevolking 2")


def test_an_edit_without_the_version_seen_is_refused(dataset):
    chosen = scenario(key())
    line = chosen.lines.get(municipality__code="GM0177")
    with pytest.raises(StaleEdit):
        services.save_offers(chosen, {line.pk: 3}, None)
    with pytest.raises(StaleEdit):
        services.delete_scenario(chosen, None)
    with pytest.raises(StaleEdit):
        services.save_key(
            chosen.key,
            name="x",
            description="",
            population_date=chosen.key.population_date,
            amv_share=Decimal(0),
            count_realised=True,
            source="",
            version=None,
        )
    assert Scenario.objects.filter(pk=chosen.pk).exists()


def test_adoption_refuses_a_key_changed_since_the_form_was_opened(dataset):
    chosen = scenario(key(), total=1000)
    seen = chosen.key.version
    services.save_key(
        chosen.key,
        name=chosen.key.name,
        description="",
        population_date=chosen.key.population_date,
        amv_share=Decimal("0.2"),
        count_realised=True,
        source="",
        version=seen,
    )
    with pytest.raises(StaleEdit):
        services.adopt(chosen, on=DAY, note="", user=None, version=chosen.version, key_version=seen)
    chosen.refresh_from_db()
    assert chosen.adopted_on is None
    assert not ReceptionTask.objects.filter(measure=ReceptionTask.Measure.AGREED_PLACES).exists()


def test_a_replacing_decision_cannot_be_dated_before_the_one_it_replaces(dataset):
    first = scenario(key(), total=1000, name="A")
    adopt(first)
    second = scenario(key("Ander"), total=1200, name="B")
    with pytest.raises(services.PlanError, match="cannot be dated before it"):
        adopt(second, on=DAY - datetime.timedelta(days=1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_adopted and first.superseded_on is None and second.adopted_on is None
    # The same day is allowed: the later decision of that day is the monitor's task.
    adopt(second, on=DAY)
    rows = ReceptionLedger(Area.objects.get(code="VR04"), DAY).asylum_rows()
    assert sum(row.task.value for row in rows) == 1200
    assert {line.adopted_places for line in first.lines.all()} != {None}


def test_a_copy_takes_the_municipalities_of_the_area_now_and_keeps_the_offers(dataset):
    original = scenario(key(), total=1000)
    raalte = original.lines.get(municipality__code="GM0177")
    services.save_offers(original, {raalte.pk: 40}, original.version)
    original.lines.filter(municipality__code="GM0148").delete()  # as if Dalfsen had not been part of it
    Location.objects.create(
        municipality=Area.objects.get(code="GM0177"),
        name="azc Raalte",
        kind=Location.Kind.AZC,
        capacity=60,
        source=cite("COA", "H"),
        reference_date=DAY,
    )
    copy = services.copy_scenario(original, name="Kopie", method="dhondt", key=original.key)
    lines = {line.municipality.code: line for line in copy.lines.select_related("municipality")}
    assert len(lines) == 11 and "GM0148" in lines
    assert (lines["GM0177"].offer, lines["GM0177"].realised) == (40, 60)
    assert lines["GM0148"].offer is None


def test_a_key_without_any_weight_names_the_municipalities_with_factor_0(dataset):
    zero = {m: (Decimal(0), 0, None) for m in Area.objects.in_region(Area.objects.get(code="VR04"))}
    with pytest.raises(services.PlanError, match="Factor 0: .*Raalte"):
        scenario(key(entries=zero))


def test_the_difference_with_the_indicative_number_names_only_causes_that_are_there(dataset):
    example = seed_first_cycle()
    typed = services.create_scenario(
        name="Getypt",
        area=example.area,
        programme=Programme.ASYLUM,
        cycle=1,
        total=7000,
        total_source="eigen aanname",
        method="hamilton",
        key=example.key,
        realised_on=DAY,
    )
    text = by_code(services.compute(typed))["GM0177"].explanation[-1]
    assert "another total than the state's task" in text
    assert "which explains the difference" not in text
    # Where the proposal equals the indicative number, nothing needs explaining.
    raalte = Area.objects.get(code="GM0177")
    indicative = ReceptionTask.objects.get(
        area=raalte, measure=ReceptionTask.Measure.INDICATIVE_PLACES, programme=Programme.ASYLUM
    )
    indicative.value = by_code(services.compute(example))["GM0177"].places
    indicative.save()
    same = by_code(services.compute(example))["GM0177"].explanation[-1]
    assert same.endswith("this proposal is the same.")


def test_a_tie_is_explained_by_weight(dataset):
    # Two municipalities with the same weight and one place: the tie-break decides, and says it goes by weight.
    olst, raalte = Area.objects.get(code="GM0175"), Area.objects.get(code="GM0177")
    olst.populations.filter(reference_date=datetime.date(2024, 1, 1)).update(population=38_000)
    raalte.populations.filter(reference_date=datetime.date(2024, 1, 1)).update(population=38_000)
    others = {
        m: (Decimal(0), 0, None)
        for m in Area.objects.in_region(Area.objects.get(code="VR04"))
        if m not in (olst, raalte)
    }
    result = by_code(services.compute(scenario(key(entries=others), total=1)))
    assert (result["GM0175"].places, result["GM0177"].places) == (1, 0)  # the lower CBS code
    for code in ("GM0175", "GM0177"):
        assert "the larger weight (population times factor), then the lower CBS code" in " ".join(
            result[code].explanation
        )


def test_an_agreed_task_of_a_cycle_wins_over_one_without_a_cycle_on_every_database(dataset):
    # PostgreSQL sorts NULL last and SQLite first; the ledger must pick the same task on both.
    raalte = Area.objects.get(code="GM0177")
    for cycle, value in ((1, 50), (None, 70)):
        ReceptionTask.objects.create(
            area=raalte,
            programme=Programme.ASYLUM,
            measure=ReceptionTask.Measure.AGREED_PLACES,
            cycle=cycle,
            reference_date=DAY,
            value=value,
            source=cite("test", "H"),
        )
    ledger = ReceptionLedger(Area.objects.get(code="VR04"), DAY)
    assert ledger.municipal_task(raalte).value == 50


def test_an_adopted_scenario_is_the_provinces_proposal_stage_of_its_cycle(dataset):
    """The Spreidingswet's cycle (issue 26, part 5) reads the table's adopted distribution as the province's
    proposal: each municipality's proposal is its adopted places, beside the state's indicative split."""
    chosen = scenario(key(), total=1000, name="Voorstel")
    adopt(chosen)
    municipalities = list(Area.objects.in_region(Area.objects.get(code="VR04")).order_by("name"))
    _dates, rows = cycles.rows(Cycle.objects.get(number=1), municipalities, DAY)
    adopted = {
        line.municipality.code: line.adopted_places for line in chosen.lines.select_related("municipality")
    }
    proposal = {row.municipality.code: dict(row.labelled)["Proposal (province)"] for row in rows}
    assert {code: figure.value for code, figure in proposal.items()} == adopted
    assert all("Voorstel" in next(iter(figure.refs)).source for figure in proposal.values())
    raalte = next(row for row in rows if row.municipality.code == "GM0177")
    assert dict(raalte.labelled)["Indicative (state)"].value == 233
