"""Housing corporations and their agreements (issue 26, part 4): homes for status holders agreed per corporation,
municipality and year, beside what reached the matching pipeline."""

import datetime

import pytest
from django.urls import reverse

from regietafel.core.sources import cite
from regietafel.core.specs import get_spec
from regietafel.core.tables import read_table
from regietafel.housing.models import CorporationAgreement
from regietafel.imports.services import ImportRejected, export, import_rows
from regietafel.matching import corporations
from regietafel.matching.models import Dwelling
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area, Place
from tests.support import csv_bytes

HEADER = ["corporation", "municipality_code", "year", "homes", "note", "source"]
SOURCE = "Prestatieafspraken Raalte, SallandWonen en huurdersorganisatie 2026"


@pytest.fixture
def sallandwonen(dataset):
    return Organisation.objects.create(name="SallandWonen", kind=Organisation.Kind.HOUSING_CORPORATION)


def home(code: str, owner: str, on: datetime.date, status=Dwelling.Status.AVAILABLE, demo=False) -> Dwelling:
    raalte = Area.objects.get(code="GM0177")
    return Dwelling.objects.create(
        code=code,
        municipality=raalte,
        place=Place.objects.filter(municipality=raalte).first(),
        rooms=2,
        max_occupancy=3,
        rent=600,
        available_on=on,
        owner=owner,
        status=status,
        source=cite("Woningaanbod SallandWonen" + (" (demo)" if demo else "")),
        is_demo=demo,
    )


def test_an_agreement_names_a_registered_corporation_or_is_refused_with_row_and_field(sallandwonen):
    spec = get_spec("corporation-agreements")
    # A corporation is an organisation of that kind: a partner of another kind with the name is not one.
    Organisation.objects.create(name="Woonbedrijf Nergens", kind=Organisation.Kind.OTHER)
    rows = [
        ["sallandwonen", "GM0177", "2026", "12", "", SOURCE],
        ["Woonbedrijf Nergens", "GM0177", "2026", "4", "", SOURCE],
    ]
    with pytest.raises(ImportRejected) as refused:
        import_rows(spec, read_table(csv_bytes(HEADER, rows), "t.csv"))
    [error] = refused.value.validation.errors
    assert (error.row, error.field) == (3, "corporation") and "Woonbedrijf Nergens" in error.message
    assert not CorporationAgreement.objects.exists()
    assert import_rows(spec, read_table(csv_bytes(HEADER, rows[:1]), "t.csv"))["create"] == 1
    again = import_rows(spec, read_table(export(spec, "csv", for_systems=True), "export.csv"))
    assert again == {"create": 0, "update": 0, "unchanged": 1}


def test_delivered_homes_are_the_corporations_homes_in_the_pipeline_that_year(sallandwonen, logged_in):
    raalte = Area.objects.get(code="GM0177")
    CorporationAgreement.objects.create(
        corporation=sallandwonen, municipality=raalte, year=2026, homes=4, source=cite(SOURCE)
    )
    home("A1", "Salland Wonen", datetime.date(2026, 2, 1), Dwelling.Status.LET)
    home("A2", "SallandWonen", datetime.date(2026, 5, 1))
    home("A3", "sallandwonen", datetime.date(2026, 6, 1), Dwelling.Status.WITHDRAWN)  # not delivered
    home("A4", "SallandWonen", datetime.date(2025, 12, 1))  # another year
    home("A5", "Particuliere verhuurder", datetime.date(2026, 3, 1))  # not the corporation's
    [row] = corporations.rows([raalte])
    assert (row.agreed.value, row.available.value, row.let.value) == (4, 2, 1)
    assert row.share.value == 0.5 and not row.share.is_demo
    assert row.available.refs and row.agreed.refs

    page = logged_in.get(reverse("monitor:municipality", args=["GM0177"])).content.decode()
    assert "Afspraken met woningcorporaties" in page and "SallandWonen" in page
    region = logged_in.get(reverse("monitor:corporations")).content.decode()
    assert "SallandWonen" in region and "Raalte" in region


def test_a_demo_home_makes_the_delivery_demo(sallandwonen):
    raalte = Area.objects.get(code="GM0177")
    CorporationAgreement.objects.create(
        corporation=sallandwonen, municipality=raalte, year=2026, homes=2, source=cite(SOURCE)
    )
    home("D1", "SallandWonen", datetime.date(2026, 2, 1), demo=True)
    [row] = corporations.rows([raalte])
    assert row.available.is_demo and row.share.is_demo and not row.agreed.is_demo


def test_without_agreements_nothing_is_listed_and_the_page_says_so(dataset, logged_in):
    assert corporations.rows(list(Area.objects.in_region(Area.objects.get(code="VR04")))) == []
    page = logged_in.get(reverse("monitor:corporations")).content.decode()
    assert "Er zijn nog geen afspraken met woningcorporaties vastgelegd." in page
