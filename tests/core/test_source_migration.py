"""The migrations that made sources records keep every figure's source: a database of strings, migrated, cites one
record per source (however it was spelled), with the lowest confidence the figures gave it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("core", "0002_themes"),
    ("regions", "0002_place"),
    ("housing", "0002_period_locks"),
    ("reception", "0003_location_observations"),
    ("indicators", "0001_initial"),
    ("matching", "0001_initial"),
]
AFTER = [
    ("core", "0003_sources"),
    ("regions", "0004_source_required"),
    ("housing", "0004_source_required"),
    ("reception", "0005_source_required"),
    ("indicators", "0003_source_required"),
    ("matching", "0003_source_required"),
]


def migrate(targets=None):
    """Migrate to ``targets`` (None: every app's latest) and return the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    migrate()


def test_string_sources_become_one_record_each_with_the_lowest_confidence(back_to_latest):
    old = migrate(BEFORE)
    try:
        Area = old.get_model("regions", "Area")
        raalte = Area.objects.create(code="GM0177", name="Raalte", kind="municipality")
        Population = old.get_model("regions", "PopulationFigure")
        Population.objects.create(
            area=raalte,
            reference_date=datetime.date(2024, 1, 1),
            population=1,
            source="CBS StatLine 70072ned",
            confidence="H",
        )
        Population.objects.create(
            area=raalte,
            reference_date=datetime.date(2023, 1, 1),
            population=2,
            source="cbs statline  70072NED.",
            confidence="M",
        )
        Target = old.get_model("housing", "NationalTarget")
        Target.objects.create(half_year="2024-H1", revision=0, headline=3, source="", confidence="H")
        Target.objects.create(
            half_year="2024-H2", revision=0, headline=4, source="Demogegevens", confidence="H", is_demo=True
        )
    finally:
        new = migrate(AFTER)
    Source = new.get_model("core", "Source")
    cbs = Source.objects.get(key="cbs statline 70072ned")
    assert (cbs.name, cbs.confidence) == ("CBS StatLine 70072ned", "M")
    Population = new.get_model("regions", "PopulationFigure")
    assert {figure.source_id for figure in Population.objects.all()} == {cbs.pk}
    Target = new.get_model("housing", "NationalTarget")
    assert Target.objects.get(half_year="2024-H1").source.name == "Bron niet vermeld"
    assert Target.objects.get(half_year="2024-H2").source.confidence == "L"
