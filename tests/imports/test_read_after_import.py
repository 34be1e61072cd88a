"""Right after an import commits, every read path shows the new values: the table's export, the API, the pages
(with the page cache on, warmed before the import, as in production) and the ledgers the pages are built from.

One case per importable table; a table without a case fails the test, so a new table must say where it is read.
These tests commit (transactional database): the page cache learns of a change when its transaction commits.
"""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from regietafel.core.specs import all_specs, get_spec
from regietafel.core.tables import write_table
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.imports import services
from regietafel.monitor import pagecache
from regietafel.reception.ledger import ReceptionLedger
from regietafel.regions.models import Area
from tests.support import example_organisations

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Case:
    # Which stored record the file changes (a filter on the table's export queryset); None: the template's row.
    record: dict | None
    # The column the file changes, and the new value from the old one.
    column: str
    change: Callable[[object], object]
    # The pages that show the column's value, from the changed record.
    pages: Callable[[object], list[str]] = lambda record: []
    # The value as a ledger reads it now, from the changed record; None: no ledger reads this table.
    ledger: Callable[[object], object] | None = None
    # Where the API serves the table, from the record: a path; None: the table is not in the API.
    api: Callable[[object], str] | None = None
    extra: dict = field(default_factory=dict)


def plus(number: int) -> Callable[[object], object]:
    return lambda value: value + number


def region(record) -> Area:
    return Area.objects.get(code="VR04")


def half_year_of(day: datetime.date) -> HalfYear:
    return HalfYear(day.year, 1 if day.month <= 6 else 2)


CASES = {
    "supervision-steps": Case(
        {"province__code": "PV23", "order": 1},
        "name",
        lambda value: f"{value} (herzien)",
        pages=lambda record: ["/toezicht/"],
        api=lambda record: f"/api/v1/toezichtstappen/{record.pk}",
    ),
    "supervision-placements": Case(
        None,
        "note",
        lambda value: f"{value} (herzien)",
        pages=lambda record: [f"/gemeente/{record.municipality.code}/"],
        api=lambda record: f"/api/v1/toezicht/{record.pk}",
    ),
    "corporation-agreements": Case(
        None,
        "homes",
        plus(3),
        pages=lambda record: ["/corporaties/", f"/gemeente/{record.municipality.code}/"],
        api=lambda record: f"/api/v1/corporatieafspraken/{record.pk}",
    ),
    "rates": Case(
        {"scheme": "booo_goo", "valid_from": datetime.date(2025, 1, 1)},
        "amount",
        plus(Decimal("1.25")),
        pages=lambda record: ["/vergoedingen/"],
        api=lambda record: f"/api/v1/tarieven/{record.pk}",
    ),
    "third-country-rules": Case(
        {"valid_from": datetime.date(2024, 1, 17)},
        "edition",
        lambda value: f"{value} (herzien)",
        pages=lambda record: ["/derdelanders/"],
        api=lambda record: f"/api/v1/derdelanderregels/{record.pk}",
    ),
    "cycles": Case(
        {"number": 1},
        "note",
        lambda value: f"{value} (herzien)",
        pages=lambda record: ["/spreidingswet/"],
        api=lambda record: f"/api/v1/spreidingswetcycli/{record.pk}",
    ),
    "signals": Case(
        None,
        "outcome",
        lambda value: f"{value} (herzien)",
        pages=lambda record: [f"/regietafel/signalen/{record.pk}/"],
        api=lambda record: f"/api/v1/signalen/{record.pk}",
    ),
    "sources": Case(
        {"name": "CBS StatLine 85984NED"},
        "publisher",
        lambda value: f"{value}, Den Haag",
        pages=lambda record: [f"/bronnen/{record.pk}/", "/bronnen/"],
        api=lambda record: f"/api/v1/bronnen/{record.pk}",
    ),
    "national-targets": Case(
        {"half_year": "2025-H2"},
        "headline",
        plus(7),
        pages=lambda record: ["/landelijk/", "/?halfjaar=2025-H2"],
        ledger=lambda record: HousingLedger(region(record)).national[record.half_year].headline,
        api=lambda record: f"/api/v1/halfjaren/{record.pk}",
    ),
    "national-outcomes": Case(
        {},
        "housed",
        plus(7),
        pages=lambda record: ["/landelijk/"],
    ),
    "reported-targets": Case(
        {"municipality__code": "GM0177", "period": "2023", "revision": 1},
        "target",
        plus(7),
        pages=lambda record: [f"/gemeente/{record.municipality.code}/"],
        ledger=lambda record: (
            HousingLedger(region(record)).reported[record.municipality_id, record.period][-1].target
        ),
    ),
    "opening-balances": Case(
        {"municipality__code": "GM0193"},
        "balance",
        plus(7),
        pages=lambda record: [f"/gemeente/{record.municipality.code}/"],
        ledger=lambda record: next(
            balance.balance
            for balance in HousingLedger(region(record)).openings[record.municipality_id]
            if balance.pk == record.pk
        ),
    ),
    "realisation": Case(
        {"municipality__code": "GM0193", "month": datetime.date(2025, 9, 1)},
        "housed",
        plus(7),
        pages=lambda record: [
            "/?halfjaar=2025-H2",
            f"/gemeente/{record.municipality.code}/?halfjaar=2025-H2",
        ],
        ledger=lambda record: (
            HousingLedger(region(record)).housed(record.municipality, HalfYear(2025, 2))[0].value
        ),
        api=lambda record: f"/api/v1/realisaties/{record.pk}",
    ),
    "indicators": Case(
        {"code": "ZRG-HUISARTS"},
        "name",
        lambda value: f"{value} (herzien)",
        pages=lambda record: ["/indicatoren/definities/", f"/indicatoren/{record.code}/"],
        api=lambda record: f"/api/v1/indicatoren/{record.pk}",
    ),
    "indicator-targets": Case(
        None,
        "value",
        plus(Decimal("1.5")),
        pages=lambda record: [f"/indicatoren/{record.indicator.code}/"],
    ),
    "indicator-values": Case(
        None,
        "value",
        plus(Decimal("1.5")),
        pages=lambda record: [f"/indicatoren/{record.indicator.code}/", f"/gemeente/{record.area.code}/"],
        api=lambda record: f"/api/v1/indicatorwaarden/{record.pk}",
    ),
    "places": Case(
        {},
        "latitude",
        plus(Decimal("0.01")),
    ),
    "dwellings": Case(
        None,
        "rooms",
        plus(1),
        pages=lambda record: ["/koppelen/woningen/"],
        api=lambda record: f"/api/v1/woningen/{record.pk}",
    ),
    "households": Case(
        None,
        "linked_on",
        lambda day: day + datetime.timedelta(days=1),
        pages=lambda record: [f"/personen/{record.pk}/"],
        api=lambda record: f"/api/v1/huishoudens/{record.pk}",
    ),
    "reception-tasks": Case(
        {"area__code": "GM0193", "programme": "asylum", "measure": "indicative_places"},
        "value",
        plus(7),
        pages=lambda record: ["/asielopvang/"],
        ledger=lambda record: (
            ReceptionLedger(region(record), datetime.date.today())
            .task(record.area.code, record.programme, record.measure)
            .value
        ),
        api=lambda record: f"/api/v1/opvangtaken/{record.pk}",
    ),
    "locations": Case(
        {"municipality__code": "GM0193", "end_date": None},
        "capacity",
        plus(7),
        pages=lambda record: [f"/locatie/{record.pk}/"],
        ledger=lambda record: next(
            location.capacity
            for location in ReceptionLedger(region(record), datetime.date.today()).locations
            if location.pk == record.pk
        ),
        api=lambda record: f"/api/v1/locaties/{record.pk}",
    ),
    "third-country-nationals": Case(
        {"municipality__code": "GM0150"},
        "count",
        plus(7),
        pages=lambda record: ["/oekraine/"],
        ledger=lambda record: (
            ReceptionLedger(region(record), datetime.date.today()).third_country[record.municipality_id].count
        ),
    ),
    "populations": Case(
        {"area__code": "GM0177", "reference_date": datetime.date(2024, 1, 1)},
        "population",
        plus(7),
        pages=lambda record: [f"/gemeente/{record.area.code}/?halfjaar=2025-H1"],
        ledger=lambda record: (
            HousingLedger(region(record)).population(record.area.code, record.reference_date).value
        ),
        api=lambda record: f"/api/v1/inwonertallen/{record.pk}",
    ),
}


def test_every_table_says_where_it_is_read():
    assert set(CASES) == {spec.key for spec in all_specs()}


@pytest.fixture
def kept(settings, monkeypatch, demo):
    settings.REGIETAFEL_PAGE_CACHE_SECONDS = 3600
    monkeypatch.setattr(pagecache, "SETTLE_SECONDS", 0)


def main(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def fresh(client, settings, path: str) -> str:
    seconds, settings.REGIETAFEL_PAGE_CACHE_SECONDS = settings.REGIETAFEL_PAGE_CACHE_SECONDS, 0
    try:
        return main(client, path)
    finally:
        settings.REGIETAFEL_PAGE_CACHE_SECONDS = seconds


def comparable(value) -> str:
    return services._comparable(value)


@pytest.mark.parametrize("kind", list(CASES))
def test_every_read_path_shows_an_import_at_once(kept, logged_in, settings, user, kind):
    spec, case = get_spec(kind), CASES[kind]
    if case.record is None:
        example_organisations()
        row = dict(spec.example_rows[0])
    else:
        stored = spec.queryset().filter(**case.record).order_by("pk").first()
        assert stored is not None, f"{kind}: no stored record {case.record}"
        row = {**spec.row(stored), "is_demo": ""} if "is_demo" in spec.columns else spec.row(stored)
    if case.record is None:
        # The template's row, imported as it is first, so that the file below changes a stored record.
        services.import_rows(spec, _dataset(spec, [row]))
    new = case.change(row[case.column])
    row[case.column] = new
    content = write_table(spec.columns, [row], "csv")
    record = spec.model.objects.get(**spec.find(_clean(spec, content)))
    pages = case.pages(record)
    before = {path: main(logged_in, path) for path in pages}  # also warms the page cache
    ledger_before = case.ledger(record) if case.ledger is not None else None

    batch, validation = services.stage(spec, "wijziging.csv", content, user, services.Guard(user))
    assert validation.counts()["update"] == 1, [str(error) for error in validation.errors]
    services.apply(spec, batch, validation.fingerprint(), services.Guard(user, reason="leespaden"))

    record.refresh_from_db()
    assert comparable(getattr(record, case.column)) == comparable(new)
    exported = list(
        csv.DictReader(
            io.StringIO(logged_in.get(f"/import/{kind}/export.csv?variant=systeem").content.decode())
        )
    )
    keys = {column: comparable(row[column]) for column in spec.key_columns}
    matching = [line for line in exported if all(line[c] == v for c, v in keys.items() if c in line)]
    assert [line[case.column] for line in matching] == [comparable(new)], kind
    if case.api is not None:
        response = logged_in.get(case.api(record))
        assert response.status_code == 200, case.api(record)
        assert _holds(response.json(), new), f"{case.api(record)}: {response.json()}"
    if case.ledger is not None:
        # A ledger may add the value up with others (a half-year's months): it moves by what the file changed.
        assert case.ledger(record) - ledger_before == new - case_old(case, new), kind
    for path in pages:
        after = main(logged_in, path)
        assert after == fresh(logged_in, settings, path), f"{path} shows what it showed before the import"
        assert after != before[path], f"{path} does not show the imported change"


def _dataset(spec, rows):
    from regietafel.core.tables import read_table

    return read_table(write_table(spec.columns, rows, "csv"), "sjabloon.csv")


def _clean(spec, content: bytes) -> dict:
    from regietafel.core.tables import read_table

    validation = services.validate(spec, read_table(content, "wijziging.csv"))
    assert validation.is_valid, [str(error) for error in validation.errors]
    return validation.rows[0].data


def case_old(case: Case, new):
    """The value before the change (every ledger-read column changes by adding a number)."""
    return new - (case.change(0) - 0)


def _holds(document, value) -> bool:
    """Whether the API's answer holds the value somewhere (as a number or as text)."""
    if isinstance(document, dict):
        return any(_holds(item, value) for item in document.values())
    if isinstance(document, list):
        return any(_holds(item, value) for item in document)
    if document is None or isinstance(document, bool):
        return False
    try:
        return Decimal(str(document)) == Decimal(str(value))
    except ArithmeticError:
        return str(document) == str(value)
