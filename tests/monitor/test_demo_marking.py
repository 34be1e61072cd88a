"""Demo honesty as a property: any value or conclusion computed from at least one demo figure carries the demo marker.

The test marks a random set of input records as demo, reads the monitor's tables, the exports and a council letter,
then changes only the demo records' values and reads them again. Whatever changed (a cell, a status, an export
value, a sentence of the letter) depended on a demo figure, so it must have been marked in the first reading.
"""

import datetime
import re

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regietafel.core.figures import DEMO_MARKER
from regietafel.core.sources import cite
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import HousingRealisation, OpeningBalance
from regietafel.monitor import tables
from regietafel.reception.ledger import ReceptionLedger
from regietafel.reception.models import Location, LocationObservation
from regietafel.regions.models import Area
from regietafel.reports.letters import FactTable, build_letter

H2025_1 = HalfYear(2025, 1)
ON = datetime.date(2025, 4, 15)
SOURCE = "COA maandrapportage (test)"


@pytest.fixture
def inputs(dataset):
    """Sourced realisation (January to March 2025) and opening balances for every IJsselland municipality, and a
    sourced reception location in each: the records the property marks as demo."""
    region = Area.objects.get(code="VR04")
    municipalities = list(Area.objects.in_region(region).order_by("code"))
    for index, municipality in enumerate(municipalities):
        OpeningBalance.objects.create(
            municipality=municipality, half_year="2025-H1", balance=index - 4, source=cite(SOURCE, "H")
        )
        for month in (1, 2, 3):
            HousingRealisation.objects.create(
                municipality=municipality,
                month=datetime.date(2025, month, 1),
                housed=(index * 3 + month) % 9,
                source=cite(SOURCE, "H"),
            )
        Location.objects.create(
            municipality=municipality,
            name=f"azc {municipality.name} (test)",
            kind=Location.Kind.AZC,
            capacity=40 + index * 10,
            occupancy=30 + index * 5,
            source=cite(SOURCE, "H"),
        )
    return region


def _records():
    return (
        [("realisation", pk) for pk in HousingRealisation.objects.order_by("pk").values_list("pk", flat=True)]
        + [("opening", pk) for pk in OpeningBalance.objects.order_by("pk").values_list("pk", flat=True)]
        + [("location", pk) for pk in Location.objects.order_by("pk").values_list("pk", flat=True)]
    )


MODELS = {"realisation": HousingRealisation, "opening": OpeningBalance, "location": Location}


def _mark(chosen):
    for kind, pk in chosen:
        MODELS[kind].objects.filter(pk=pk).update(is_demo=True)
        if kind == "location":
            LocationObservation.objects.filter(location_id=pk).update(is_demo=True)


def _perturb(chosen, delta):
    for kind, pk in chosen:
        if kind == "realisation":
            record = HousingRealisation.objects.get(pk=pk)
            record.housed += delta
            HousingRealisation.objects.filter(pk=pk).update(housed=record.housed)
        elif kind == "opening":
            record = OpeningBalance.objects.get(pk=pk)
            OpeningBalance.objects.filter(pk=pk).update(balance=record.balance + delta)
        else:
            record = Location.objects.get(pk=pk)
            occupancy = None if record.occupancy is None else record.occupancy + delta
            record.capacity, record.occupancy = record.capacity + delta, occupancy
            record.save()  # records the observation the readers read


def _read(region):
    housing = HousingLedger(region, ON)
    reception = ReceptionLedger(region, ON)
    read = {
        "housing": tables.housing_table(housing, H2025_1),
        "asylum": tables.reception_table(reception, "asylum"),
        "minors": tables.reception_table(reception, "minors"),
        "ukraine": tables.reception_table(reception, "ukraine"),
    }
    with translation.override("nl"):
        letters = {
            code: build_letter(Area.objects.get(code=code), H2025_1, ON) for code in ("GM0177", "GM0193")
        }
    return read, letters


def _sentences(letter) -> list[str]:
    parts = []
    for _level, section in letter.outline():
        for block in section.blocks:
            if isinstance(block, FactTable):
                parts += [f"{fact.label}: {fact.value}" for fact in block.facts]
            else:
                parts += [part for part in re.split(r"(?<=\.)\s+", block) if part]
    return parts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), delta=st.integers(min_value=1, max_value=25))
def test_whatever_a_demo_figure_changes_carries_the_demo_marker(inputs, data, delta):
    records = _records()
    chosen = data.draw(st.lists(st.sampled_from(records), min_size=1, max_size=8, unique=True))
    with transaction.atomic():
        _mark(chosen)
        before, letters_before = _read(inputs)
        _perturb(chosen, delta)
        after, letters_after = _read(inputs)
        transaction.set_rollback(True)

    changed = 0
    for name, table in before.items():
        other = after[name]
        for row, row_after in zip([*table.rows, table.total], [*other.rows, other.total], strict=True):
            for key, figure in row.cells.items():
                if figure.value != row_after.cells[key].value:
                    changed += 1
                    assert figure.is_demo, (name, row.area, key, figure, row_after.cells[key])
            if row.status != row_after.status:
                assert row.status_is_demo, (name, row.area, "status")
        for values, values_after in zip(table.export_rows(), other.export_rows(), strict=True):
            for key, value in values.items():
                if key in ("sources",) or key.endswith("is_demo"):
                    continue
                if value != values_after[key]:
                    flag = "status_is_demo" if key == "status" else f"{key}_is_demo"
                    assert values[flag], (name, values["code"], key)

    with translation.override("nl"):
        marker = f"({DEMO_MARKER})"
    for code, letter in letters_before.items():
        after_sentences = set(_sentences(letters_after[code]))
        for sentence in _sentences(letter):
            if sentence not in after_sentences:
                assert marker in sentence, (code, sentence)
                assert letter.is_demo
    assert changed  # the perturbation reached at least one figure


def test_the_marker_is_one_word_everywhere():
    with translation.override("nl"):
        assert str(DEMO_MARKER) == "demo"
    with translation.override("en"):
        assert str(DEMO_MARKER) == "demo"
