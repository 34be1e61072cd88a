"""For every importable table: a valid file that changes stored records, once imported, is "unchanged" when checked
again. This is the class of issue 29: the check compares one thing and the import writes another (a blank cell that
the check reads as "keep" and the write as "clear", a column compared but never written, two rows of one file that
say different things about the same record).

The files start from stored records (as the table's export writes them) and change them the ways people do: values
taken from other rows, optional columns left out or left blank, numbers changed, in any column order and format.
Files that the check refuses prove nothing here (tests/imports/test_robustness.py covers refusals) and are skipped.
"""

import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from regietafel.core.specs import all_specs, get_spec
from regietafel.core.tables import read_table
from regietafel.imports import services
from tests.imports.strategies import encoded
from tests.imports.test_robustness import seed_rows

EXAMPLES = int(os.environ.get("ROUND_TRIP_EXAMPLES", "30"))
SPECS = [spec.key for spec in all_specs()]


def _whole_numbers(spec) -> set[str]:
    return services._whole_number_columns(spec)


@st.composite
def changed_files(draw, spec, seeds: list[dict]):
    optional = [name for name in spec.columns if name not in spec.required_columns]
    left_out = set(draw(st.lists(st.sampled_from(optional), unique=True))) if optional else set()
    header = [name for name in draw(st.permutations(list(spec.columns))) if name not in left_out]
    numbers = _whole_numbers(spec)
    picked = draw(st.lists(st.sampled_from(range(len(seeds))), unique=True, min_size=1, max_size=5))
    rows = []
    for index in picked:
        if draw(st.integers(0, 6)) == 0:
            rows.append(["" for _ in header])  # an empty row
        row = []
        for name in header:
            value = seeds[index].get(name, "")
            how = draw(st.integers(0, 5))
            if how == 0 and name in optional and name not in spec.key_columns:
                value = ""  # left blank
            elif how == 1 and name not in spec.key_columns:
                value = seeds[draw(st.sampled_from(range(len(seeds))))].get(name, "")  # another row's value
            elif how == 2 and name in numbers and name not in spec.key_columns:
                value = draw(st.integers(0, 5000))
            row.append("" if value is None else value)
        rows.append(row)
    note(f"header={header} rows={rows}")
    return draw(encoded(header, rows))


@pytest.mark.parametrize("kind", SPECS)
def test_an_imported_file_checked_again_is_unchanged(demo, user, kind):
    spec = get_spec(kind)
    seeds = seed_rows(spec)
    assert seeds, f"{kind}: no stored records nor template rows to start from"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
        ],
    )
    @given(upload=changed_files(spec, seeds))
    def check(upload):
        content, filename = upload
        # Every example starts from the same stored data, so that a failure replays on its own.
        with transaction.atomic():
            batch, first = services.stage(spec, filename, content, user, services.Guard(user))
            assume(first.is_valid)
            services.apply(spec, batch, first.fingerprint(), services.Guard(user, reason="round trip"))
            again = services.validate(spec, read_table(content, filename), services.Guard(user))
            assert again.is_valid, [str(error) for error in again.errors]
            changed = [(row.row, row.current) for row in again.rows if row.action != "unchanged"]
            assert not changed, f"{first.counts()} then {again.counts()}: {changed}"
            transaction.set_rollback(True)

    check()
