"""Publishing a locked half-year: a frozen snapshot of aggregate figures, new versions, withdrawal."""

import datetime
import json

import pytest

from regietafel.access.models import Membership, Role
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.monitor import tables
from regietafel.publication import services, snapshot
from regietafel.publication.models import Publication
from tests.publication.conftest import PUBLISHED, housed
from tests.support import IJSSELLAND


def test_publishing_freezes_the_aggregate_figures(region, user, locked):
    locked()
    publication = services.publish(user, region, PUBLISHED)

    assert (publication.version, publication.published_by, publication.withdrawn) == (1, user, False)
    data = publication.snapshot
    assert data["region"] == {"code": "VR04", "name": "IJsselland"}
    assert data["half_year"] == "2025-H1"
    assert set(data["groups"]) == {"housing", "asylum", "ukraine", "minors"}
    for group in data["groups"].values():
        assert [row["name"] for row in group["rows"]] == IJSSELLAND
        assert group["total"]["level"] == "region"
    expected = tables.housing_table(HousingLedger(region), PUBLISHED)
    for row, item in zip(expected.rows, data["groups"]["housing"]["rows"], strict=True):
        assert item["code"] == row.area.code
        assert item["values"]["statutory"]["value"] == row.cells["statutory"].value
        assert {ref["source"] for ref in item["values"]["statutory"]["sources"]} == {
            ref.source for ref in row.cells["statutory"].refs
        }
    assert data["groups"]["housing"]["total"]["values"]["statutory"]["value"] == sum(
        row.cells["statutory"].value for row in expected.rows
    )
    # Aggregates only: the snapshot has no field of a person-level record.
    text = json.dumps(data)
    assert "v_number" not in text and 'reference"' not in text and "HH-" not in text


def test_a_later_change_is_public_only_after_publishing_again(region, user, locked):
    locked()
    first = services.publish(user, region, PUBLISHED)
    # A beheerder overrides the locked half-year with a reason, as the import service does.
    housed("GM0177", datetime.date(2025, 3, 1), 7, user=user)

    first.refresh_from_db()
    raalte = next(r for r in first.snapshot["groups"]["housing"]["rows"] if r["code"] == "GM0177")
    assert raalte["values"]["housed"]["value"] != 7
    assert Publication.objects.current().get() == first

    second = services.publish(user, region, PUBLISHED)
    assert second.version == 2
    raalte = next(r for r in second.snapshot["groups"]["housing"]["rows"] if r["code"] == "GM0177")
    assert raalte["values"]["housed"]["value"] == 7
    assert list(Publication.objects.current()) == [second]
    assert Publication.objects.count() == 2  # the first version is kept


def test_withdrawing_hides_the_publication_and_keeps_it(region, user, locked):
    locked()
    services.publish(user, region, PUBLISHED)
    latest = services.publish(user, region, PUBLISHED)

    services.withdraw(user, latest, "Fout in de cijfers van Kampen")

    latest.refresh_from_db()
    assert latest.withdrawn and latest.withdrawn_by == user
    assert latest.withdrawal_reason == "Fout in de cijfers van Kampen"
    # Withdrawing the latest version does not bring back the one it replaced.
    assert not Publication.objects.current().exists()
    assert Publication.objects.count() == 2
    with pytest.raises(services.PublicationError, match="already withdrawn"):
        services.withdraw(user, latest, "Nog eens")
    with pytest.raises(services.PublicationError, match="Say why"):
        services.withdraw(user, Publication.objects.get(version=1), " ")

    again = services.publish(user, region, PUBLISHED)
    assert again.version == 3
    assert list(Publication.objects.current()) == [again]


def test_an_unlocked_half_year_is_refused(region, user, locked):
    locked(HalfYear(2025, 1))
    with pytest.raises(services.PublicationError, match="2025-H2 is not locked"):
        services.publish(user, region, HalfYear(2025, 2))
    assert not Publication.objects.exists()


def test_only_the_program_team_publishes(region, user, locked):
    locked()
    Membership.objects.filter(user=user).update(role=Role.EXECUTIVE)
    user.refresh_from_db()
    with pytest.raises(services.PublicationError, match="Only the program team"):
        services.publish(user, region, PUBLISHED)
    assert not Publication.objects.exists()


def test_a_half_year_with_demo_figures_is_refused_naming_them_and_nothing_is_published(
    demo, region, user, locked
):
    half_year = locked(HalfYear(2025, 2))
    demo_figures = snapshot.demo_figures(snapshot.build(region, half_year))
    assert demo_figures  # the demo realisation, and every figure computed from it
    with pytest.raises(services.PublicationError) as refused:
        services.publish(user, region, half_year)
    message = str(refused.value)
    assert f"holds {len(demo_figures)} figures computed from demo data" in message
    assert "; ".join(demo_figures[:5]) in message
    assert f"and {len(demo_figures) - 5} more" in message
    assert not Publication.objects.exists()


def test_every_figure_computed_from_a_demo_figure_is_named():
    cell = {"value": 1, "sources": [{"source": "COA", "reference_date": None, "is_demo": False}]}
    demo = {
        "value": 2,
        "sources": [cell["sources"][0], {"source": "demo", "reference_date": None, "is_demo": True}],
    }
    values = {key: cell for key in snapshot.MEASURES["housing"]}
    data = {
        "groups": {
            "housing": {
                "rows": [
                    {"name": "Raalte", "values": values},
                    {"name": "Zwolle", "values": {**values, "housed": demo}},
                ],
                "total": {"name": "IJsselland", "values": {**values, "housed": demo, "remaining": demo}},
            }
        }
    }
    label = {column.key: column.label for column in snapshot.COLUMNS["housing"]}
    title = snapshot.TITLES["housing"]
    assert snapshot.demo_figures(data) == [
        f"Zwolle: {label['housed']} ({title})",
        f"IJsselland: {label['housed']} ({title})",
        f"IJsselland: {label['remaining']} ({title})",
    ]


def test_the_snapshot_reads_back_as_the_monitor_figures(region, user, locked):
    half_year = locked(HalfYear(2025, 2))
    publication = services.publish(user, region, half_year)
    housing = snapshot.table(publication.snapshot, "housing")
    live = tables.housing_table(HousingLedger(region), half_year)
    assert [row.area.code for row in housing.rows] == [row.area.code for row in live.rows]
    for read, row in zip(housing.rows, live.rows, strict=True):
        assert read.status == row.status
        for key in snapshot.MEASURES["housing"]:
            assert read.cells[key].value == row.cells[key].value
            assert read.cells[key].refs == row.cells[key].refs
    assert not housing.is_demo
