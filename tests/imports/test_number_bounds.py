"""Every number a user or system can send has bounds that fit its column on both databases (issue 21, hole 2: a
housed count of 99999999999999999999 was a server error, and 2147483648 was stored on SQLite though PostgreSQL's
integer cannot hold it).

For every numeric column of every importable table (the path the import page, the commands and the API's writes
share), Hypothesis sends unbounded whole numbers, decimals, negatives, NaN and infinities: the answer is a row error
naming the field, or the value stored within the column's range; never a server error.
"""

import os

import pytest
from django import forms
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regietafel.core.forms import column_range
from regietafel.core.specs import all_specs
from regietafel.core.tables import read_table, write_table
from regietafel.imports import services
from regietafel.regions.models import PopulationFigure
from tests.imports.test_robustness import seed_rows

EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "25"))


def numeric_columns():
    for spec in all_specs():
        for name, field in spec.form_class.base_fields.items():
            if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                yield pytest.param(spec, name, id=f"{spec.key}.{name}")


numbers = st.one_of(
    st.integers().map(str),
    st.integers(2**31 - 5, 2**31 + 5).map(str),
    st.integers(-(2**31) - 5, -(2**31) + 5).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.sampled_from(["NaN", "-inf", "1e400", "9" * 40, "-" + "9" * 40, "99999999999999999999", "2147483648"]),
)


@pytest.mark.parametrize(("spec", "column"), list(numeric_columns()))
def test_any_number_is_refused_by_name_or_stored_in_range(demo, spec, column):
    seed = seed_rows(spec)[0]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(value=numbers)
    def check(value):
        content = write_table(spec.columns, [{**seed, column: value}], "csv")
        with transaction.atomic():
            try:
                services.import_rows(spec, read_table(content, "getallen.csv"))
            except services.ImportRejected as refused:
                errors = refused.validation.errors
                assert errors and all(
                    error.row >= 1 and error.field in ("", *spec.columns) for error in errors
                )
                if _out_of_range(spec, column, value):
                    assert any(error.field == column for error in errors), refused
            else:
                assert not _out_of_range(spec, column, value), value
                stored = spec.model.objects.values_list(_field(spec, column), flat=True)
                low, high = column_range(spec.model, _field(spec, column))
                assert all(item is None or low <= item <= high for item in stored if isinstance(item, int))
            transaction.set_rollback(True)

    check()


def _out_of_range(spec, column: str, value: str) -> bool:
    """A whole number that no integer column holds on both databases."""
    field = spec.form_class.base_fields[column]
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return False
    try:
        number = int(value)
    except ValueError:
        return False
    low, high = column_range(spec.model, _field(spec, column))
    return not low <= number <= high


def _field(spec, column: str) -> str:
    return spec.area_columns.get(column, column)


def _realisation(housed: int):
    header = ["municipality_code", "month", "housed", "housed_minors", "source", "confidence"]
    row = {
        "municipality_code": "GM0177",
        "month": "2025-03",
        "housed": housed,
        "source": "COA",
        "confidence": "H",
    }
    return read_table(write_table(header, [row], "csv"), "realisatie.csv")


def test_more_people_housed_in_a_month_than_the_municipality_has_inhabitants_is_refused(
    dataset, user, client
):
    """The plausibility limit the domain gives: housed in a month is at most the municipality's population (its
    last count before the month). On the import path and through the API."""
    counted = PopulationFigure.objects.filter(area__code="GM0177").latest("reference_date").population
    spec = next(spec for spec in all_specs() if spec.key == "realisation")
    assert services.validate(spec, _realisation(counted)).is_valid
    validation = services.validate(spec, _realisation(counted + 1))
    assert [(error.row, error.field) for error in validation.errors] == [(2, "housed")]
    assert str(counted) in validation.errors[0].message and "Raalte" in validation.errors[0].message

    client.force_login(user)
    response = client.post(
        "/api/v1/realisaties",
        {"municipality_code": "GM0177", "month": "2025-03", "housed": counted + 1, "source": "COA"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [entry["location"] for entry in response.json()["errors"]] == ["#/housed"]
