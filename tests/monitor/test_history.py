"""Complete public history: every half-year from 2019-H1 to the current one exists in the selectors, the API and the
beheerder's page of missing inputs, with "not known" where an input is missing; nothing is estimated."""

import datetime
import re

import pytest
from django.core.management import call_command

from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.regions.models import Area

EVERY = [str(h) for h in HalfYear.span(HalfYear(2019, 1), HalfYear.containing(datetime.date.today()))]


def test_the_overview_selector_offers_every_half_year_from_2019(dataset, client_en):
    html = client_en.get("/").content.decode()
    offered = re.findall(r'<option value="(\d{4}-H[12])"', html)
    assert offered == EVERY


@pytest.mark.parametrize("half_year", ["2019-H1", "2024-H2", str(HalfYear.containing(datetime.date.today()))])
def test_a_half_year_without_every_input_shows_and_says_what_is_unknown(dataset, client_en, half_year):
    response = client_en.get(f"/?halfjaar={half_year}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{half_year}" selected>' in html
    assert "rt-unknown" in html


def test_the_api_lists_every_half_year_for_every_municipality(dataset, client_en):
    half_years, url = set(), "/api/v1/taakstellingen?gemeente=GM0177&page_size=100"
    while url:
        body = client_en.get(url).json()
        half_years |= {row["half_year"] for row in body["results"]}
        url = body.get("next")
    assert sorted(half_years) == EVERY


def test_the_inputs_page_says_exactly_what_is_missing(dataset, client_en):
    html = client_en.get("/ontbrekende-invoer/").content.decode()
    for half_year in EVERY:
        assert f">{half_year}" in html
    row = re.search(r">2024-H2.*?</tr>", html, re.S).group(0)
    assert "missing" in row  # no national number for 2024-H2 is public here
    complete = re.search(r">2025-H1.*?</tr>", html, re.S).group(0)
    assert "complete" in complete
    assert "03759ned" in html and "/import/populations/" in html


def test_missing_inputs_name_the_municipalities_without_a_population(dataset):
    ledger = HousingLedger(Area.objects.get(code="VR04"))
    missing = ledger.missing_inputs(HalfYear(2024, 1))
    assert missing.population_date == datetime.date(2023, 1, 1)
    assert not missing.national_missing and not missing.national_population_missing
    assert {area.name for area in ledger.municipalities} - {area.name for area in missing.municipalities} == {
        "Kampen",
        "Raalte",
    }
    assert [area.name for area in missing.standing_in] == []
    assert ledger.missing_inputs(HalfYear(2025, 2)).complete


def test_compute_targets_prints_every_municipality_once_its_inputs_are_public(dataset, capsys):
    call_command("compute_targets", "--half-year", "2025-H1")
    lines = capsys.readouterr().out.strip().splitlines()
    ijsselland = {area.code for area in Area.objects.in_region(Area.objects.get(code="VR04"))}
    targets = {line.split(",")[0]: line.split(",")[-1] for line in lines[1:]}
    assert all(targets[code] for code in ijsselland)


def test_compute_targets_says_which_populations_are_missing(dataset, capsys):
    call_command("compute_targets", "--half-year", "2020-H1")
    captured = capsys.readouterr()
    targets = {line.split(",")[0]: line.split(",")[-1] for line in captured.out.strip().splitlines()[1:]}
    # 5,500 x 99,967 / 17,282,163 = 31.8: Deventer's population on 1 January 2019 is public (De Stentor, CBS).
    assert targets["GM0150"] == "32"
    # 5,500 x 37,511 / 17,282,163 = 11.9 (Raalte, CBS quoted by Wikipedia); Hardenberg's 2019 figure was not found.
    assert targets["GM0177"] == "12"
    assert targets["GM0160"] == ""
    assert "Geen bevolking op 2019-01-01" in captured.err
