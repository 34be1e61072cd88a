"""The program team's publication page, and the public page anyone can read without logging in."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from regietafel.domain.targets import HalfYear
from regietafel.housing import periods
from regietafel.publication import services, snapshot
from regietafel.publication.models import Publication
from regietafel.regions.models import Area
from tests.access.conftest import world  # noqa: F401  (the role users)
from tests.publication.conftest import PUBLISHED, housed

HREF = re.compile(r'href="([^"]*)"')


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _anonymous() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_the_program_team_publishes_republishes_and_withdraws(region, client_en, locked, user):
    locked()
    manage = reverse("publication:manage")
    page = _text(client_en.get(manage))
    assert "Publish IJsselland 2025-H1" in page
    assert "Publish Twente 2025-H1" in page
    assert "Nothing published yet." in page

    response = client_en.post(reverse("publication:publish"), {"region": "VR04", "half_year": "2025-H1"})
    assert response.status_code == 302
    page = _text(client_en.get(manage))
    assert "IJsselland 2025-H1 is published (version 1)." in page
    assert "Publish IJsselland 2025-H1 again" in page
    assert "Withdraw IJsselland 2025-H1" in page

    # A change after publication is pointed out, and becomes public only when published again.
    housed("GM0177", datetime.date(2025, 2, 1), 5, user=user)
    assert "The figures have changed since this version was published" in _text(client_en.get(manage))
    client_en.post(reverse("publication:publish"), {"region": "VR04", "half_year": "2025-H1"})
    page = _text(client_en.get(manage))
    assert "IJsselland 2025-H1 is published (version 2)." in page
    assert "The figures have changed" not in page

    latest = Publication.objects.get(version=2)
    client_en.post(reverse("publication:withdraw"), {"publication": latest.pk, "reason": "Fout bij Raalte"})
    page = _text(client_en.get(manage))
    assert "IJsselland 2025-H1 is withdrawn: the public no longer sees it." in page
    assert "Fout bij Raalte" in page  # in the history
    assert not Publication.objects.current().exists()


def test_an_unlocked_half_year_is_refused_with_a_message(region, client_en, locked):
    locked()
    response = client_en.post(
        reverse("publication:publish"), {"region": "VR04", "half_year": "2025-H2"}, follow=True
    )
    assert "2025-H2 is not locked, so its figures are not validated yet." in _text(response)
    assert not Publication.objects.exists()


def test_a_withdrawal_needs_a_reason(region, user, client_en, locked):
    publication = services.publish(user, region, locked())
    response = client_en.post(reverse("publication:withdraw"), {"publication": publication.pk}, follow=True)
    assert "Say why the publication is withdrawn." in _text(response)
    assert Publication.objects.current().get() == publication


@pytest.mark.parametrize("role", ["gemeente", "bestuurder", "partner"])
def test_only_beheerders_publish(world, role):  # noqa: F811
    periods.lock(world.users["beheerder"], PUBLISHED)
    client = world.client(role)
    assert client.get(reverse("publication:manage")).status_code == 404
    response = client.post(reverse("publication:publish"), {"region": "VR04", "half_year": "2025-H1"})
    assert response.status_code == 404
    assert not Publication.objects.exists()

    publication = services.publish(world.users["beheerder"], Area.objects.get(code="VR04"), PUBLISHED)
    response = client.post(reverse("publication:withdraw"), {"publication": publication.pk, "reason": "x"})
    assert response.status_code == 404
    assert Publication.objects.current().get() == publication


def test_the_public_page_shows_the_latest_publication_without_login(region, user, locked, settings):
    settings.REGIETAFEL_DEFAULT_REGION = "VR04"
    housed("GM0177", datetime.date(2025, 2, 1), 4, source="COA maandrapportage februari")
    services.publish(user, region, locked(HalfYear(2025, 1)))
    latest = services.publish(user, region, locked(HalfYear(2025, 2)))

    response = _anonymous().get(reverse("publication:public"))
    assert response.status_code == 200
    page = _text(response)
    assert "IJsselland, 2025-H2" in page
    assert "Last updated" in page and "(version 1)" in page
    assert timezone.localtime(latest.published_at).strftime("%H:%M") in page
    for heading in (
        "Housing status holders",
        "Reception of asylum seekers",
        "Municipal reception of displaced Ukrainians",
        "Reception of unaccompanied minors",
    ):
        assert heading in page
    # Explanations in plain words, and the sources with their reference dates.
    assert "each municipality's part of that number is its target (taakstelling)" in page
    assert "share of the population of the Netherlands" in page
    assert "backlog (achterstand)" in page
    assert "Spreidingswet" in page and "indicative number" in page
    assert "GOO, gemeentelijke opvang oekraïners" in page
    assert "Sources" in page and "reference date" in page
    # The other publication is a link away; the open data too.
    assert reverse("publication:public_half_year", args=["VR04", "2025-H1"]) in page
    assert reverse("publication:opendata_file", args=["huisvesting", "csv"]) in page

    older = _text(_anonymous().get(reverse("publication:public_half_year", args=["VR04", "2025-H1"])))
    assert "IJsselland, 2025-H1" in older
    assert "COA maandrapportage februari" in older  # Raalte's housed figure and its source
    assert "COA maandrapportage februari" not in page


def test_the_public_pages_link_only_to_public_pages(region, user, locked, client_en):
    services.publish(user, region, locked())
    for client in (_anonymous(), client_en):
        for name in ("publication:public", "publication:opendata"):
            page = client.get(reverse(name)).content.decode()
            links = [
                link
                for link in HREF.findall(page)
                if link.startswith("/") and not link.startswith("/static/")
            ]
            assert links
            for link in links:
                match = resolve(html.unescape(link).split("#")[0].split("?")[0])
                assert getattr(match.func, "login_required", True) is False, link
            assert "Log out" not in page


def test_publishing_demo_figures_is_refused_on_the_page_and_nothing_becomes_public(demo, client_en, locked):
    locked(HalfYear(2025, 2))
    client_en.post(reverse("publication:publish"), {"region": "VR04", "half_year": "2025-H2"})
    page = _text(client_en.get(reverse("publication:manage")))
    assert "figures computed from demo data, and demo data is never published" in page
    assert "Nothing published yet." in page
    assert "No figures have been published yet." in _text(_anonymous().get(reverse("publication:public")))


def test_demo_figures_of_an_earlier_publication_are_marked(demo, user, locked):
    # Published before demo data was refused: the public page still marks what it holds.
    region, half_year = Area.objects.get(code="VR04"), locked(HalfYear(2025, 2))
    Publication.objects.create(
        region=region,
        half_year=str(half_year),
        version=1,
        snapshot=snapshot.build(region, half_year),
        published_at=timezone.now(),
        published_by=user,
    )
    page = _text(_anonymous().get(reverse("publication:public")))
    assert "Some figures on this page are demo data, marked demo" in page
    assert '<abbr class="rt-demo-marker" title="demo data">demo</abbr>' in page
    assert "Demo data:" in page  # in the source list


def test_nothing_published_says_so(region):
    page = _text(_anonymous().get(reverse("publication:public")))
    assert "No figures have been published yet." in page
    page = _text(_anonymous().get(reverse("publication:public_half_year", args=["VR04", "2025-H1"])))
    assert "No figures are published for IJsselland for 2025-H1." in page
    assert (
        _anonymous().get(reverse("publication:public_half_year", args=["XX99", "2025-H1"])).status_code == 404
    )
    assert (
        _anonymous().get(reverse("publication:public_half_year", args=["VR04", "2025-H3"])).status_code == 404
    )


def test_the_periods_page_links_to_publication(client_en):
    assert reverse("publication:manage") in client_en.get(reverse("monitor:periods")).content.decode()
