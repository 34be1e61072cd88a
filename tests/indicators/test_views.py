"""A beheerder defines an indicator in the UI, imports values for the eleven municipalities from a workbook and
sees them in the region view with the statuses its thresholds give; a changed threshold changes the statuses."""

import re

import pytest

from regietafel.core.specs import get_spec
from regietafel.core.tables import read_table
from regietafel.imports.services import import_rows
from regietafel.indicators.demo import load_demo as load_indicator_demo
from regietafel.indicators.models import Domain, Indicator, Value
from regietafel.reception.models import Location
from regietafel.regions.models import Area
from tests.support import IJSSELLAND, xlsx_bytes

FORM = {
    "code": "ZRG-GGZ-WACHTTIJD",
    "name": "Wachttijd tot de eerste afspraak ggz",
    "explanation": "Dagen tussen aanmelding en eerste afspraak in de ggz voor statushouders.",
    "domain": "",
    "unit": "days",
    "direction": "lower",
    "level": "municipality",
    "periodicity": "quarter",
    "good_threshold": "28",
    "poor_threshold": "56",
    "norm": "",
    "norm_source": "",
    "expected_source": "GGD IJsselland",
    "is_active": "on",
}
HEADER = ["indicator_code", "area_code", "location", "period", "value", "reference_date", "source"]


def statuses(html: str) -> dict[str, str]:
    """Municipality -> the status word of its one cell, read from the region table."""
    found = {}
    for name, cell in re.findall(
        r'<a class="utrecht-link" href="/gemeente/GM\d+/">([^<]+)</a></th>\s*<td[^>]*>(.*?)</td>', html, re.S
    ):
        status = re.search(r'rt-status--(\w+)">\s*([^<]+?)\s*</span>', cell)
        found[name] = status.group(1) if status else "none"
    return found


@pytest.fixture
def defined(client_en, dataset):
    form = {**FORM, "domain": Domain.objects.get(code="care").pk}
    response = client_en.post("/indicatoren/nieuw/", form)
    assert response.status_code == 302 and response["Location"] == "/indicatoren/ZRG-GGZ-WACHTTIJD/"
    codes = dict(Area.objects.filter(name__in=IJSSELLAND, kind="municipality").values_list("name", "code"))
    # Waiting days 14, 21, 28, ... 84: good up to 28, poor beyond 56.
    rows = [
        ["ZRG-GGZ-WACHTTIJD", codes[name], None, "2025-Q3", 14 + 7 * n, None, "GGD IJsselland"]
        for n, name in enumerate(IJSSELLAND)
    ]
    import_rows(get_spec("indicator-values"), read_table(xlsx_bytes(HEADER, rows), "wachttijden.xlsx"))
    return client_en


def test_a_defined_indicator_with_imported_values_shows_statuses_by_its_thresholds(defined):
    page = defined.get("/indicatoren/?domein=care")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Wachttijd tot de eerste afspraak ggz" in html and "GGD IJsselland" in html
    found = statuses(html)
    assert len(found) == 11
    # Dalfsen 14, Deventer 21, Hardenberg 28: good; Kampen 35 .. Raalte 56: attention; Staphorst 63 ..: poor.
    assert [found[name] for name in IJSSELLAND] == ["good"] * 3 + ["attention"] * 4 + ["poor"] * 4


def test_changing_a_threshold_changes_the_statuses(defined):
    indicator = Indicator.objects.get(code="ZRG-GGZ-WACHTTIJD")
    # Typed the Dutch way, with a decimal comma.
    form = {**FORM, "domain": indicator.domain_id, "good_threshold": "42,0", "version": indicator.version}
    response = defined.post("/indicatoren/ZRG-GGZ-WACHTTIJD/wijzigen/", form)
    assert response.status_code == 302
    found = statuses(defined.get("/indicatoren/?domein=care").content.decode())
    assert [found[name] for name in IJSSELLAND] == ["good"] * 5 + ["attention"] * 2 + ["poor"] * 4


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(defined):
    indicator = Indicator.objects.get(code="ZRG-GGZ-WACHTTIJD")
    seen = indicator.version
    first = {**FORM, "domain": indicator.domain_id, "name": "Eerst opgeslagen", "version": seen}
    assert defined.post("/indicatoren/ZRG-GGZ-WACHTTIJD/wijzigen/", first).status_code == 302
    second = {**FORM, "domain": indicator.domain_id, "name": "Daarna opgeslagen", "version": seen}
    response = defined.post("/indicatoren/ZRG-GGZ-WACHTTIJD/wijzigen/", second)
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    assert Indicator.objects.get(code="ZRG-GGZ-WACHTTIJD").name == "Eerst opgeslagen"


def test_a_bad_definition_is_refused_with_the_field_named(client_en, dataset):
    form = {**FORM, "domain": Domain.objects.get(code="care").pk, "good_threshold": "60", "norm": "4 weken"}
    response = client_en.post("/indicatoren/nieuw/", form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "When lower is better, &#x27;good from&#x27; cannot lie above &#x27;poor beyond&#x27;." in html
    assert "An official norm needs its source" in html
    assert not Indicator.objects.filter(code="ZRG-GGZ-WACHTTIJD").exists()


def test_the_indicator_page_shows_values_with_their_source_and_the_missing_norm(defined):
    html = defined.get("/indicatoren/ZRG-GGZ-WACHTTIJD/").content.decode()
    assert "2025-Q3" in html and "GGD IJsselland" in html
    assert "none" in html  # no official norm
    assert html.count('class="rt-status rt-status--poor"') == 4


def test_a_beheerder_adds_a_domain(client_en, dataset):
    response = client_en.post(
        "/indicatoren/domein/nieuw/", {"name": "Kwaliteit van huisvesting", "code": "housing_quality"}
    )
    assert response.status_code == 302
    assert Domain.objects.filter(code="housing_quality").exists()
    again = client_en.post("/indicatoren/domein/nieuw/", {"name": "Nog eens", "code": "housing_quality"})
    assert "This code is taken." in again.content.decode()


def test_without_thresholds_no_status_is_claimed(client_en, dataset):
    html = client_en.get("/indicatoren/?domein=work").content.decode()
    assert "rt-status--good" not in html.split("<table", 1)[-1]
    assert "Statushouders met betaald werk of studie na 24 maanden" in html


def test_the_municipality_page_shows_its_indicators_with_their_period_source_and_norm(defined):
    code = Area.objects.get(name="Zwolle").code
    html = defined.get(f"/gemeente/{code}/").content.decode()
    section = html.split('id="indicatoren"', 1)[1]
    assert "Wachttijd tot de eerste afspraak ggz" in section and "2025-Q3" in section
    assert "Statushouders ingeschreven bij een huisarts" in section  # in use, no value yet: shown as such
    assert "GGD IJsselland" in html  # the value's source, in the page's sources


def test_a_location_page_shows_its_quality_next_to_capacity_and_occupancy(client_en, dataset):
    location = Location.objects.select_related("municipality").first()
    rows = [
        ["OPV-BEZETTING", location.municipality.code, location.name, month, occupancy, None, "COA"]
        for month, occupancy in (("2025-05", 97), ("2025-06", 104))
    ]
    Indicator.objects.filter(code="OPV-BEZETTING").update(good_threshold=95, poor_threshold=100)
    import_rows(get_spec("indicator-values"), read_table(xlsx_bytes(HEADER, rows), "bezetting.xlsx"))
    html = client_en.get(f"/locatie/{location.pk}/").content.decode()
    assert location.name in html and str(location.capacity) in html
    section = html.split('id="indicatoren"', 1)[1]
    assert "2025-06" in section and "rt-status--poor" in section and "worse than before" in section
    # The municipality page links to it.
    assert (
        f"/locatie/{location.pk}/"
        in client_en.get(f"/gemeente/{location.municipality.code}/").content.decode()
    )


def test_demo_values_are_marked_as_demo(client_en, demo):
    load_indicator_demo()
    assert Value.objects.filter(is_demo=True).count() > 100
    html = client_en.get("/indicatoren/?domein=work").content.decode()
    assert 'class="rt-demo-marker"' in html and "Demo data" in html
    # Generated again with the same seed: the same values, no duplicates.
    before = sorted(Value.objects.values_list("indicator_id", "area_id", "location_id", "period", "value"))
    load_indicator_demo()
    assert (
        sorted(Value.objects.values_list("indicator_id", "area_id", "location_id", "period", "value"))
        == before
    )
