"""The planner's pages: the Overijssel example, creating, offers, comparing, adopting, export and keys."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from regietafel.distribution.dataset import seed_first_cycle
from regietafel.distribution.models import DistributionKey, KeyEntry, Scenario
from regietafel.reception.models import ReceptionTask
from regietafel.regions.models import Area

# The file for systems, with the columns' keys (tests/core/test_downloads.py checks the one people read).
SYSTEMS = {"variant": "systeem"}


@pytest.fixture
def example(dataset):
    return seed_first_cycle()


def cell(html: str, code: str, column: str) -> str:
    row = re.search(rf'<tr[^>]*data-code="{code}".*?</tr>', html, re.S).group(0)
    return re.sub(
        r"<[^>]+>", "", re.search(rf'data-column="{column}">(.*?)</td>', row, re.S).group(1)
    ).strip()


def test_the_example_shows_the_proposal_next_to_the_published_indicative_numbers(logged_in, example):
    html = logged_in.get(reverse("distribution:scenario", args=[example.pk])).content.decode()
    assert [
        (cell(html, code, "proposal"), cell(html, code, "indicative")) for code in ("GM0177", "GM0193")
    ] == [
        ("204", "233"),
        ("708", "717"),
    ]
    assert cell(html, "GM0148", "indicative") == "—"  # Dalfsen: not published in the data set
    # Dutch by default, with the difference explained as the unknown socio-economic correction
    assert "sociaal-economische score" in html
    assert "Grootste overschot" in html


def test_creating_a_scenario_takes_the_provincial_task_when_the_total_is_left_empty(client_en, example):
    response = client_en.post(
        reverse("distribution:create"),
        {
            "name": "Overijssel, D'Hondt",
            "area": Area.objects.get(code="PV23").pk,
            "programme": "asylum",
            "cycle": "",
            "total": "",
            "total_source": "",
            "method": "dhondt",
            "key": example.key_id,
            "realised_on": "2024-01-31",
        },
    )
    created = Scenario.objects.get(name="Overijssel, D'Hondt")
    assert response.status_code == 302
    assert (created.total, created.cycle) == (6325, 1)
    assert (
        "ANP, 'Overijssel is bereid om meer asielzoekers op te vangen' (1 februari 2024)"
        in created.total_source
    )


def test_a_typed_total_needs_its_source(client_en, example):
    response = client_en.post(
        reverse("distribution:create"),
        {
            "name": "Zelf",
            "area": Area.objects.get(code="VR04").pk,
            "programme": "asylum",
            "total": "500",
            "method": "hamilton",
            "key": example.key_id,
            "realised_on": "2024-01-31",
        },
    )
    assert response.status_code == 200
    assert "Say where this total comes from." in response.content.decode()
    assert not Scenario.objects.filter(name="Zelf").exists()


def test_offers_are_saved_and_a_stale_form_is_refused(client_en, example):
    raalte = example.lines.get(municipality__code="GM0177")
    url = reverse("distribution:offers", args=[example.pk])
    response = client_en.post(url, {f"offer_{raalte.pk}": "150", "version": example.version})
    assert response.status_code == 302
    raalte.refresh_from_db()
    assert raalte.offer == 150
    stale = client_en.post(url, {f"offer_{raalte.pk}": "1", "version": example.version})
    assert "Someone else changed this" in stale.content.decode()
    raalte.refresh_from_db()
    assert raalte.offer == 150
    bad = client_en.post(url, {f"offer_{raalte.pk}": "-3", "version": example.version + 1})
    assert "Raalte: Ensure this value is greater than or equal to 0." in bad.content.decode()


def test_comparing_shows_each_scenario_per_municipality(client_en, example):
    from regietafel.distribution import services

    other = services.copy_scenario(example, name="D'Hondt", method="dhondt", key=example.key)
    html = client_en.get(reverse("distribution:compare"), {"s": [example.pk, other.pk]}).content.decode()
    row = re.search(r'<tr[^>]*data-code="GM0193".*?</tr>', html, re.S).group(0)
    numbers = re.findall(r"<strong>(\d+)</strong>", row)
    assert numbers == ["708", "709"]  # Zwolle: largest remainder vs D'Hondt
    assert ">717<" in row


def test_adopting_makes_the_numbers_the_tasks_on_the_monitor(client_en, example):
    response = client_en.post(
        reverse("distribution:adopt", args=[example.pk]),
        {
            "on": "2024-03-01",
            "note": "Provinciale regietafel",
            "version": example.version,
            "key_version": example.key.version,
        },
    )
    assert response.status_code == 302
    example.refresh_from_db()
    assert example.adopted_on == datetime.date(2024, 3, 1)
    html = client_en.get(reverse("monitor:asylum"), {"peildatum": "2024-03-01"}).content.decode()
    assert "scenario First cycle Overijssel" in html or "scenario Eerste cyclus Overijssel" in html
    again = client_en.post(
        reverse("distribution:adopt", args=[example.pk]),
        {"on": "2024-03-02", "note": "x", "version": example.version, "key_version": example.key.version},
    )
    assert again.status_code == 302
    example.refresh_from_db()
    assert example.adopted_on == datetime.date(2024, 3, 1)


def test_the_export_has_every_municipality_the_exact_total_and_the_explanations(client_en, example):
    response = client_en.get(reverse("distribution:export", args=[example.pk, "csv"]), SYSTEMS)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 25
    assert sum(int(row["voorstel"]) for row in rows) == 6325
    raalte = next(row for row in rows if row["code"] == "GM0177")
    assert (raalte["indicatief"], raalte["verschil_met_indicatief"]) == ("233", "-29")
    assert "Largest remainder" in raalte["toelichting"]
    assert client_en.get(reverse("distribution:export", args=[example.pk, "pdf"])).status_code == 404


def test_a_key_is_edited_per_area_and_a_bad_bound_names_the_municipality(client_en, example):
    key = example.key
    url = reverse("distribution:key_edit", args=[key.pk]) + "?gebied=VR04"
    form = {
        "name": key.name,
        "description": key.description,
        "population_date": "2024-01-01",
        "amv_share": "8.5",
        "source": "SES-WOA",
        "version": key.version,
    }
    municipalities = list(Area.objects.in_region(Area.objects.get(code="VR04")))
    for municipality in municipalities:
        form |= {
            f"factor_{municipality.pk}": "1",
            f"minimum_{municipality.pk}": "0",
            f"maximum_{municipality.pk}": "",
        }
    raalte = next(m for m in municipalities if m.code == "GM0177")
    bad = client_en.post(url, form | {f"minimum_{raalte.pk}": "10", f"maximum_{raalte.pk}": "5"})
    assert "Raalte: the maximum (5) is below the minimum (10)." in bad.content.decode()
    assert not KeyEntry.objects.exists()
    good = client_en.post(url, form | {f"factor_{raalte.pk}": "1.25"})
    assert good.status_code == 302
    assert KeyEntry.objects.get().factor == 1.25
    key = DistributionKey.objects.get(pk=key.pk)
    assert (key.count_realised, key.source, key.version) == (False, "SES-WOA", 2)


def test_a_draft_is_deleted_after_confirmation_and_an_adopted_scenario_stays(client_en, example):
    from regietafel.distribution import services

    url = reverse("distribution:delete", args=[example.pk])
    assert "cannot be undone" in client_en.get(url).content.decode()
    draft = services.copy_scenario(example, name="Weg", method="dhondt", key=example.key)
    assert (
        client_en.post(
            reverse("distribution:delete", args=[draft.pk]), {"version": draft.version}
        ).status_code
        == 302
    )
    assert not Scenario.objects.filter(pk=draft.pk).exists()
    services.adopt(
        example,
        on=datetime.date(2024, 3, 1),
        note="x",
        user=None,
        version=example.version,
        key_version=example.key.version,
    )
    response = client_en.post(url, {"version": example.version + 1}, follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Scenario.objects.filter(pk=example.pk).exists()


def test_compare_ignores_ids_that_are_not_plain_numbers(client_en, example):
    response = client_en.get(reverse("distribution:compare"), {"s": ["²", "9" * 20, str(example.pk)]})
    assert response.status_code == 200
    assert "Choose at least two scenarios." in response.content.decode()


def test_the_default_total_is_the_task_of_the_chosen_cycle_and_asylum_needs_a_cycle(client_en, example):
    form = {
        "name": "Nederland cyclus 1",
        "area": Area.objects.get(code="NL01").pk,
        "programme": "asylum",
        "cycle": "1",
        "method": "hamilton",
        "key": example.key_id,
        "realised_on": "2024-01-31",
    }
    assert client_en.post(reverse("distribution:create"), form).status_code == 302
    assert Scenario.objects.get(name="Nederland cyclus 1").total == 96000  # not the 88,000 of cycle 2
    typed = {"name": "Zonder", "cycle": "", "total": "500", "total_source": "besluit"}
    response = client_en.post(reverse("distribution:create"), form | typed)
    assert "Enter the Spreidingswet cycle" in response.content.decode()


def adopt(example, on=datetime.date(2024, 3, 1)):
    from regietafel.distribution import services

    return services.adopt(
        example, on=on, note="x", user=None, version=example.version, key_version=example.key.version
    )


def test_the_export_says_where_the_total_comes_from_and_what_is_demo(client_en, example):
    rows = list(
        csv.DictReader(
            io.StringIO(
                client_en.get(
                    reverse("distribution:export", args=[example.pk, "csv"]), SYSTEMS
                ).content.decode("utf-8-sig")
            )
        )
    )
    raalte = next(row for row in rows if row["code"] == "GM0177")
    assert raalte["bron_totaal"] == example.total_source and raalte["totaal"] == "6325"
    assert raalte["bron_inwoners"].startswith("CBS") and raalte["demo"] == "false"
    indicative = ReceptionTask.objects.get(area__code="GM0177", measure="indicative_places")
    assert raalte["bron_indicatief"] == f"{indicative.source}, {indicative.reference_date.isoformat()}"
    assert raalte["status"] == "draft"


def test_an_adopted_scenario_shows_and_exports_its_frozen_numbers(client_en, example):
    adopt(example)
    Area.objects.get(code="GM0177").populations.update(population=400_000)
    html = client_en.get(reverse("distribution:scenario", args=[example.pk])).content.decode()
    assert cell(html, "GM0177", "proposal") == "204"
    assert "the ones adopted on 1 March 2024" in html
    assert "Raalte" in re.search(r"the number of ([^<]*) would differ", html).group(1)
    rows = list(
        csv.DictReader(
            io.StringIO(
                client_en.get(
                    reverse("distribution:export", args=[example.pk, "csv"]), SYSTEMS
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert sum(int(row["voorstel"]) for row in rows) == 6325
    assert next(row for row in rows if row["code"] == "GM0177")["voorstel"] == "204"
    assert rows[0]["status"] == "adopted on 2024-03-01"


def test_a_key_of_an_adopted_scenario_is_not_edited_but_copied(client_en, example):
    adopt(example)
    key = example.key
    page = client_en.get(reverse("distribution:key", args=[key.pk])).content.decode()
    assert "no longer changes" in page
    assert reverse("distribution:key_edit", args=[key.pk]) not in page
    edit = client_en.get(reverse("distribution:key_edit", args=[key.pk]), follow=True)
    assert "cannot change; copy it instead" in edit.content.decode()
    response = client_en.post(reverse("distribution:key_copy", args=[key.pk]), {"name": "Kopie"})
    copy = DistributionKey.objects.get(name="Kopie")
    assert response.status_code == 302 and response["Location"] == reverse(
        "distribution:key_edit", args=[copy.pk]
    )
    taken = client_en.post(reverse("distribution:key_copy", args=[key.pk]), {"name": "Kopie"})
    assert "There is already a key called Kopie." in taken.content.decode()


def test_the_key_page_names_the_source_of_its_populations(client_en, example):
    page = client_en.get(reverse("distribution:key", args=[example.key.pk])).content.decode()
    sources = set(
        Area.objects.get(code="GM0177")
        .populations.filter(reference_date=datetime.date(2024, 1, 1))
        .values_list("source__name", flat=True)
    )
    assert sources and all(source in page for source in sources)


def test_adopting_with_a_key_changed_in_between_is_refused(client_en, example):
    response = client_en.post(
        reverse("distribution:adopt", args=[example.pk]),
        {"on": "2024-03-01", "note": "x", "version": example.version, "key_version": example.key.version - 1},
    )
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    example.refresh_from_db()
    assert example.adopted_on is None


def test_comparing_names_the_sources_and_groups_the_columns(client_en, example):
    from regietafel.distribution import services

    other = services.copy_scenario(example, name="D'Hondt", method="dhondt", key=example.key)
    html = client_en.get(reverse("distribution:compare"), {"s": [example.pk, other.pk]}).content.decode()
    assert html.count("<colgroup") == 3
    assert escape(example.total_source) in html
    indicative = ReceptionTask.objects.get(area__code="GM0177", measure="indicative_places")
    assert escape(indicative.source.name) in html


def test_numeric_inputs_of_the_key_and_offer_forms_are_styled_and_numeric(client_en, example):
    key_form = client_en.get(
        reverse("distribution:key_edit", args=[example.key.pk]) + "?gebied=VR04"
    ).content.decode()
    raalte = Area.objects.get(code="GM0177")
    factor = re.search(rf'<input[^>]*name="factor_{raalte.pk}"[^>]*>', key_form).group(0)
    assert "utrecht-textbox" in factor and 'inputmode="decimal"' in factor
    minimum = re.search(rf'<input[^>]*name="minimum_{raalte.pk}"[^>]*>', key_form).group(0)
    assert "utrecht-textbox" in minimum and 'inputmode="numeric"' in minimum
    assert 'id="id_count_realised_helptext"' in key_form
    offers = client_en.get(reverse("distribution:offers", args=[example.pk])).content.decode()
    offer = re.search(r'<input[^>]*name="offer_\d+"[^>]*>', offers).group(0)
    assert "utrecht-textbox" in offer and 'inputmode="numeric"' in offer
