"""Derdelanders (issue 26, part 3): counts per municipality by status through time, each beside the version of the
state's rule and its cut-off date that applied then."""

import datetime

import pytest
from django.urls import reverse

from regietafel.core.specs import get_spec
from regietafel.core.tables import read_table
from regietafel.imports.services import ImportRejected, import_rows
from regietafel.reception import third_country
from regietafel.reception.ledger import ReceptionLedger
from regietafel.reception.models import ThirdCountryNationalCount
from regietafel.regions.models import Area
from tests.support import csv_bytes

HEADER = ["municipality_code", "status", "count", "reference_date", "source"]
SOURCE = "Gemeente Raalte, stand derdelanders"


def test_the_embedded_rule_has_its_three_cut_off_dates(dataset):
    rules = third_country.rules()
    assert [rule.cut_off for rule in rules] == [
        datetime.date(2023, 3, 4),
        datetime.date(2023, 9, 4),
        datetime.date(2024, 3, 4),
    ]
    assert third_country.rule_on(rules, datetime.date(2023, 12, 1)).cut_off == datetime.date(2023, 9, 4)
    assert third_country.rule_on(rules, datetime.date(2022, 1, 1)) is None


def test_counts_by_status_through_time_with_the_rule_then(dataset, logged_in):
    rows = [
        ["GM0177", "", "6", "2023-12-01", SOURCE],  # empty status: in reception, as older files say
        ["GM0177", "applied_asylum", "2", "2023-12-01", SOURCE],
        ["GM0177", "in_reception", "1", "2024-04-01", SOURCE],
        ["GM0177", "returned", "3", "2024-04-01", SOURCE],
    ]
    import_rows(get_spec("third-country-nationals"), read_table(csv_bytes(HEADER, rows), "t.csv"))
    raalte = Area.objects.get(code="GM0177")
    history = third_country.history([raalte])[raalte.pk]
    by_date = {row.reference_date: row for row in history}
    april, december = by_date[datetime.date(2024, 4, 1)], by_date[datetime.date(2023, 12, 1)]
    assert history[0] is april  # newest first
    assert april.reference_date == datetime.date(2024, 4, 1)
    assert april.counts["returned"].value == 3 and not april.counts["applied_asylum"].known
    assert april.rule.cut_off == datetime.date(2024, 3, 4)
    assert december.counts["in_reception"].value == 6 and december.rule.cut_off == datetime.date(2023, 9, 4)
    # The reception pages count those in reception only, as before.
    ledger = ReceptionLedger(raalte.parent, datetime.date(2024, 5, 1))
    assert ledger.third_country[raalte.pk].count == 1
    page = logged_in.get(reverse("monitor:municipality", args=["GM0177"])).content.decode()
    assert "Uitspraak Raad van State 17 januari 2024" in page and "Teruggekeerd" in page
    region = logged_in.get(reverse("monitor:third_country")).content.decode()
    assert "Raalte" in region and "4 maart 2024" in region


def test_an_unknown_status_is_refused_with_row_and_field(dataset):
    rows = [["GM0177", "vertrokken naar Mars", "1", "2024-04-01", SOURCE]]
    with pytest.raises(ImportRejected) as refused:
        import_rows(get_spec("third-country-nationals"), read_table(csv_bytes(HEADER, rows), "t.csv"))
    [error] = refused.value.validation.errors
    assert (error.row, error.field) == (2, "status")
    assert not ThirdCountryNationalCount.objects.filter(reference_date=datetime.date(2024, 4, 1)).exists()
