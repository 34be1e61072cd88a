"""A locked half-year's figures change only through the period guard (issue 21, hole 5: re-importing a 1 January
population changed the statutory target and carry-over of a locked half-year, because the population import never
asked the guard; each writer had to remember to).

The guard is structural (``housing.periods``): every kind of record the ledger computes a half-year from is in
``FEEDS``, and a write or deletion of one outside ``guarded`` that changes a locked half-year is refused at the model.
The class tests: the ledger reads no table that ``FEEDS`` leaves out (so a new kind of figure cannot slip past), and
for every kind of record, creating, changing and deleting one that feeds a locked half-year is refused unless a
beheerder gives a reason, and the locked half-year's figures stay as they were.
"""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from regietafel.core.sources import cite
from regietafel.core.specs import get_spec
from regietafel.core.tables import read_table
from regietafel.domain.targets import HalfYear
from regietafel.housing import periods
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import (
    AgreedTarget,
    Agreement,
    HousingRealisation,
    NationalTarget,
    OpeningBalance,
    PeriodEvent,
    ReportedTarget,
)
from regietafel.housing.services import save_agreement
from regietafel.imports.services import Guard, ImportRejected, import_rows
from regietafel.monitor.tables import housing_table
from regietafel.regions.models import Area, PopulationFigure
from tests.support import csv_bytes

LOCKED = HalfYear(2025, 1)
# Tables the ledger reads that hold no figure: the map of areas (which municipalities a region has, changed with the
# population import's region code), the locks themselves and the sources (who published a figure, not the figure).
NOT_FIGURES = {"regions_area", "housing_periodlock", "core_source"}


@pytest.fixture
def region(dataset):
    return Area.objects.get(code="VR04")


def figures(region) -> list:
    """What the monitor shows of the locked half-year: every municipality's row and the region's total."""
    return housing_table(HousingLedger(region), LOCKED).export_rows()


def test_the_ledger_reads_no_figure_the_guard_leaves_out(region):
    with CaptureQueriesContext(connection) as queries:
        figures(region)
        HousingLedger(region).rows(LOCKED.next())
    tables = {
        table
        for query in queries.captured_queries
        for table in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', query["sql"], re.I)
    }
    guarded = {model._meta.db_table for model in periods.FEEDS}
    assert tables - guarded - NOT_FIGURES == set()
    assert tables & guarded  # the pattern found the figure tables


def _population_file(population: int) -> bytes:
    header = ["code", "name", "reference_date", "population", "source", "confidence"]
    return csv_bytes(header, [["GM0177", "Raalte", "2024-01-01", population, "CBS StatLine 37230ned", "H"]])


def test_re_importing_a_1_january_population_does_not_change_a_locked_half_year(region, user):
    """The issue's reproduction: the population of 1 January 2024 feeds the targets of 2025."""
    stored = PopulationFigure.objects.get(area__code="GM0177", reference_date=datetime.date(2024, 1, 1))
    periods.lock(user, LOCKED)
    before = figures(region)
    spec = get_spec("populations")
    changed = read_table(_population_file(stored.population + 5000), "populations.csv")

    with pytest.raises(periods.PeriodLocked):
        import_rows(spec, changed)  # a command or the data set load: no guard given
    with pytest.raises(ImportRejected):
        import_rows(spec, changed, guard=Guard(user, reason=""))  # a beheerder without a reason
    assert figures(region) == before

    import_rows(spec, changed, guard=Guard(user, reason="CBS correctie"))
    assert figures(region) != before
    override = PeriodEvent.objects.get(kind=PeriodEvent.Kind.OVERRIDE)
    assert (override.half_year, override.reason) == (str(LOCKED), "CBS correctie")


def _agreement(region, user) -> Agreement:
    ledger = HousingLedger(region)
    targets = {m.code: ledger.statutory(m, LOCKED)[0].value for m in ledger.municipalities}
    return save_agreement(
        region,
        LOCKED,
        targets,
        agreed_on=datetime.date(2025, 1, 15),
        source="Regietafel",
        note="",
        version=None,
        user=user,
    )


def writes(region, user):
    """For each kind of record in FEEDS: its (create, change, delete) writes, each feeding the locked half-year (None: no
    such write here)."""
    raalte = Area.objects.get(code="GM0177")
    earlier = str(LOCKED.previous())
    realisation = HousingRealisation.objects.create(
        municipality=raalte,
        month=datetime.date(2025, 2, 1),
        housed=6,
        source=cite("COA maandrapportage", "H"),
    )
    agreement = _agreement(region, user)
    agreement.targets.filter(municipality=raalte).delete()  # one to add back
    agreement_pk = agreement.pk

    def stored_agreement() -> Agreement:
        return Agreement.objects.get(pk=agreement_pk)

    def save(record, **values):
        for name, value in values.items():
            setattr(record, name, value)
        record.save()

    national = NationalTarget.objects.filter(half_year=str(LOCKED)).first()
    population = PopulationFigure.objects.get(area=raalte, reference_date=datetime.date(2024, 1, 1))
    return {
        NationalTarget: (
            lambda: NationalTarget.objects.create(
                half_year=str(LOCKED), revision=9, headline=1, source=cite("x", "H")
            ),
            lambda: save(national, headline=national.headline + 1),
            lambda: national.delete(),
        ),
        PopulationFigure: (
            lambda: PopulationFigure.objects.create(
                area=Area.objects.get(code="GM0148"),
                reference_date=datetime.date(2024, 1, 2),
                population=1,
                source=cite("x", "H"),
            ),
            lambda: save(population, population=population.population + 1),
            lambda: population.delete(),
        ),
        ReportedTarget: (
            lambda: ReportedTarget.objects.create(
                municipality=raalte, period="2025", revision=9, target=1, source=cite("x", "H")
            ),
            lambda: ReportedTarget.objects.create(
                municipality=raalte, period=earlier, revision=9, target=1, source=cite("x", "H")
            ),
            None,
        ),
        OpeningBalance: (
            lambda: OpeningBalance.objects.create(
                municipality=raalte, half_year=earlier, balance=3, source=cite("x", "H")
            ),
            None,
            None,
        ),
        HousingRealisation: (
            lambda: HousingRealisation.objects.create(
                municipality=raalte, month=datetime.date(2024, 12, 1), housed=99, source=cite("x", "H")
            ),
            lambda: save(realisation, housed=realisation.housed + 1),
            lambda: realisation.delete(),
        ),
        Agreement: (
            None,
            lambda: save(agreement, note="Anders"),
            lambda: agreement.delete(),
        ),
        AgreedTarget: (
            lambda: AgreedTarget.objects.create(agreement=stored_agreement(), municipality=raalte, target=1),
            lambda: save(stored_agreement().targets.first(), target=0),
            lambda: stored_agreement().targets.first().delete(),
        ),
    }


def test_every_write_of_a_figure_a_locked_half_year_is_computed_from_is_guarded(region, user):
    all_writes = writes(region, user)
    assert set(all_writes) == set(periods.FEEDS)
    periods.lock(user, LOCKED)
    tried = 0
    for model, operations in all_writes.items():
        for operation in filter(None, operations):
            before = figures(region)
            with transaction.atomic():
                with pytest.raises(periods.PeriodLocked), transaction.atomic():
                    operation()
                assert figures(region) == before, model._meta.label
                transaction.set_rollback(True)
            with transaction.atomic():
                with periods.guarded(user, [str(LOCKED)], "Correctie", "test"):
                    operation()  # a beheerder with a reason
                transaction.set_rollback(True)
            tried += 1
    assert tried >= 14


def test_a_write_to_a_later_half_year_needs_no_reason(region, user):
    """The guard refuses only what a locked half-year is computed from: a later half-year's figures are free."""
    periods.lock(user, LOCKED)
    HousingRealisation.objects.create(
        municipality=Area.objects.get(code="GM0177"),
        month=LOCKED.next().start,
        housed=4,
        source=cite("COA", "H"),
    )
    spec = get_spec("populations")
    later = read_table(
        csv_bytes(
            ["code", "name", "reference_date", "population", "source", "confidence"],
            [["GM0177", "Raalte", "2025-01-01", 40000, "CBS", "H"]],
        ),
        "populations.csv",
    )
    import_rows(spec, later)  # feeds 2026 only
    assert not PeriodEvent.objects.filter(kind=PeriodEvent.Kind.OVERRIDE).exists()
