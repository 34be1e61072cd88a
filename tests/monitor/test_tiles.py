"""Every region's tile map, placed or not, and the beheerder's editor for it (issue 24: Twente got an empty map)."""

import re

import pytest
from django.urls import reverse

from regietafel.regions.models import Area

TILE = re.compile(r'class="rt-tile rt-tile--r(\d+) rt-tile--c(\d+)')


def cells_on(page: str) -> list[tuple[int, int]]:
    return [(int(row), int(column)) for row, column in TILE.findall(page)]


@pytest.fixture
def twente(dataset):
    region = Area.objects.get(code="VR05")
    assert not Area.objects.in_region(region).filter(tile_row__isnull=False).exists()
    return region


def test_a_region_nobody_placed_gets_a_map_with_every_municipality_on_a_cell_of_its_own(logged_in, twente):
    page = logged_in.get(reverse("monitor:overview") + "?regio=VR05").content.decode()
    cells = cells_on(page)
    assert len(cells) == 14 == len(set(cells))
    assert max(row for row, _ in cells) == 4 and max(column for _, column in cells) == 4
    for area in Area.objects.in_region(twente):
        assert area.name in page


def test_the_placed_map_of_ijsselland_is_kept(logged_in, dataset):
    page = logged_in.get(reverse("monitor:overview")).content.decode()
    zwolle = Area.objects.get(code="GM0193")
    assert (zwolle.tile_row, zwolle.tile_column) == (3, 2)
    assert sorted(cells_on(page)) == sorted(
        (area.tile_row, area.tile_column) for area in Area.objects.in_region(Area.objects.get(code="VR04"))
    )


def _post(client, region, cells: dict[str, tuple[int, int]], seen: str, **extra):
    data = {"seen": seen, **extra}
    for code, (row, column) in cells.items():
        data[f"{code}-row"], data[f"{code}-column"] = row, column
    return client.post(reverse("monitor:tiles", args=[region.code]), data)


def _seen(client, region) -> tuple[str, dict[str, tuple[int, int]]]:
    page = client.get(reverse("monitor:tiles", args=[region.code])).content.decode()
    seen = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    shown = {
        code: (int(row), int(column))
        for code, row, column in re.findall(
            r'name="(GM\d{4})-row" value="(\d+)".*?name="GM\d{4}-column" value="(\d+)"', page, flags=re.S
        )
    }
    return seen, shown


def test_a_beheerder_places_the_tiles_by_keyboard_and_the_map_follows(client_en, twente):
    seen, shown = _seen(client_en, twente)
    assert len(shown) == 14
    enschede = Area.objects.get(code="GM0153")
    shown[enschede.code] = (5, 5)
    response = _post(client_en, twente, shown, seen)
    assert response.status_code == 302
    enschede.refresh_from_db()
    assert (enschede.tile_row, enschede.tile_column) == (5, 5)
    assert Area.objects.in_region(twente).filter(tile_row__isnull=True).count() == 0
    page = client_en.get(reverse("monitor:overview") + "?regio=VR05").content.decode()
    assert (5, 5) in cells_on(page)


def test_two_municipalities_on_one_cell_are_refused_by_name(client_en, twente):
    seen, shown = _seen(client_en, twente)
    almelo, borne = Area.objects.get(code="GM0141"), Area.objects.get(code="GM0147")
    shown[borne.code] = shown[almelo.code]
    row, column = shown[almelo.code]
    response = _post(client_en, twente, shown, seen)
    assert response.status_code == 200
    assert f"Almelo, Borne are all on row {row}, column {column}: give each a cell of its own." in (
        response.content.decode()
    )
    assert not Area.objects.in_region(twente).filter(tile_row__isnull=False).exists()


def test_a_row_outside_the_grid_is_refused_on_its_field(client_en, twente):
    seen, shown = _seen(client_en, twente)
    shown["GM0141"] = (13, 1)
    response = _post(client_en, twente, shown, seen)
    assert "Ensure this value is less than or equal to 12." in response.content.decode()
    assert not Area.objects.in_region(twente).filter(tile_row__isnull=False).exists()


def test_a_map_changed_by_someone_else_in_between_is_not_overwritten(client_en, twente):
    seen, shown = _seen(client_en, twente)
    _post(client_en, twente, shown, seen)  # someone else saves first
    shown["GM0153"] = (6, 1)
    response = _post(client_en, twente, shown, seen)
    assert "Someone else changed this while you were editing." in response.content.decode()
    assert Area.objects.get(code="GM0153").tile_row != 6


def test_the_default_layout_can_be_restored(client_en, dataset):
    ijsselland = Area.objects.get(code="VR04")
    seen, _shown = _seen(client_en, ijsselland)
    _post(client_en, ijsselland, {}, seen, default="1")
    placed = {area.code: (area.tile_row, area.tile_column) for area in Area.objects.in_region(ijsselland)}
    assert len(set(placed.values())) == 11
    # IJsselland's places are known: the default is roughly a map, Kampen (north-west) before Deventer (south).
    assert placed["GM0166"][0] < placed["GM0150"][0]


def test_the_set_up_page_lists_every_region_with_its_placed_tiles(client_en, dataset):
    page = client_en.get(reverse("monitor:setup")).content.decode()
    assert "11 of 11 municipalities placed" in page
    assert "0 of 14 municipalities placed" in page
    assert reverse("monitor:tiles", args=["VR05"]) in page
