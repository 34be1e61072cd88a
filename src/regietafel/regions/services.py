"""Writes to areas and population figures. Callers own the transaction (imports run in one)."""

from django.db import transaction
from django.db.models import Avg
from django.utils.translation import gettext as _

from regietafel.core.versioning import StaleEdit, changed_message
from regietafel.domain import tiles
from regietafel.regions.models import Area, Place

KIND_BY_PREFIX = {
    "NL": Area.Kind.COUNTRY,
    "PV": Area.Kind.PROVINCE,
    "VR": Area.Kind.REGION,
    "GM": Area.Kind.MUNICIPALITY,
}


def kind_of(code: str) -> str | None:
    return KIND_BY_PREFIX.get(code[:2].upper())


def ensure_area(code: str, name: str = "", parent_code: str = "", parent_name: str = "") -> Area:
    """Find an area by CBS code or create it, with its parent (a region or province) when given."""
    code = code.upper()
    area = Area.objects.filter(code=code).first()
    parent = ensure_area(parent_code, parent_name) if parent_code else None
    if area is None:
        if not name:
            raise ValueError(_("Unknown area %(code)s and no name given.") % {"code": code})
        return Area.objects.create(code=code, name=name, kind=kind_of(code), parent=parent)
    changed = False
    if name and area.name != name:
        area.name, changed = name, True
    if parent is not None and area.parent_id != parent.pk:
        area.parent, changed = parent, True
    if changed:
        area.save()
    return area


def tile_cells(municipalities: list[Area]) -> dict[str, tiles.Cell]:
    """Each municipality's cell on the tile map: where its beheerder placed it, the rest laid out by themselves
    (roughly as on a map, from the places' positions, when every municipality has places)."""
    stored = {
        area.code: (area.tile_row, area.tile_column)
        for area in municipalities
        if area.tile_row and area.tile_column
    }
    order = [area.code for area in municipalities]
    # Read whether or not every municipality is placed: a page then costs the same queries for every region
    # (make bench checks that the overview's queries do not depend on the region's data).
    points = {
        code: (float(latitude), float(longitude))
        for code, latitude, longitude in Place.objects.filter(
            municipality__in=[area.pk for area in municipalities]
        )
        .values("municipality__code")
        .annotate(latitude=Avg("latitude"), longitude=Avg("longitude"))
        .values_list("municipality__code", "latitude", "longitude")
    }
    return tiles.layout(stored, order, points if len(stored) < len(order) else None)


def tiles_seen(municipalities: list[Area]) -> str:
    """The stored tile places as a page read them: sent back with an edit, so a change made in between is noticed."""
    return ";".join(f"{area.code}:{area.tile_row or 0},{area.tile_column or 0}" for area in municipalities)


@transaction.atomic
def place_tiles(region: Area, cells: dict[str, tiles.Cell], seen: str) -> None:
    """Store every municipality's cell on the region's tile map, if nobody changed them since ``seen``."""
    municipalities = list(Area.objects.in_region(region).select_for_update().order_by("name"))
    if tiles_seen(municipalities) != seen:
        raise StaleEdit(changed_message())
    if set(cells) != {area.code for area in municipalities}:
        raise ValueError(_("Give a cell for every municipality of the region."))
    if not all(tiles.valid(cell) for cell in cells.values()) or tiles.clashes(cells):
        raise ValueError(_("Every municipality needs a cell of its own, rows and columns 1 to 12."))
    for area in municipalities:
        area.tile_row, area.tile_column = cells[area.code]
    Area.objects.bulk_update(municipalities, ["tile_row", "tile_column"])


def default_tiles(region: Area) -> dict[str, tiles.Cell]:
    """The layout a region gets when nobody placed its tiles (roughly as on a map where places are known)."""
    municipalities = list(Area.objects.in_region(region).order_by("name"))
    for area in municipalities:
        area.tile_row = area.tile_column = None  # as if nobody had placed them (not saved)
    return tile_cells(municipalities)


def placed_count(region: Area) -> int:
    """How many of the region's municipalities have a tile place stored."""
    return Area.objects.in_region(region).filter(tile_row__isnull=False, tile_column__isnull=False).count()


# A region: its name, province, municipalities and monitoring thresholds ---------------------------------------------


def region_seen(region: Area) -> str:
    """A region as a page read it: sent back with an edit, so a change made in between is noticed."""
    codes = ",".join(Area.objects.in_region(region).order_by("code").values_list("code", flat=True))
    return (
        f"{region.name}|{region.parent_id or ''}|{region.behind_below_percent or ''}|"
        f"{region.far_behind_below_percent or ''}|{codes}"
    )


@transaction.atomic
def save_region(
    region: Area | None,
    *,
    code: str = "",
    name: str,
    province: Area | None,
    municipalities: list[Area],
    behind_below_percent: int | None,
    far_behind_below_percent: int | None,
    seen: str = "",
) -> Area:
    """Create a region, or change one nobody changed since ``seen``: the municipalities listed lie in it (taken
    from where they were); one no longer listed goes back to the region's province."""
    if region is None:
        region = Area(code=code.upper(), kind=Area.Kind.REGION)
    else:
        region = Area.objects.select_for_update().get(pk=region.pk, kind=Area.Kind.REGION)
        if region_seen(region) != seen:
            raise StaleEdit(changed_message())
    region.name = name
    region.parent = province
    region.behind_below_percent = behind_below_percent
    region.far_behind_below_percent = far_behind_below_percent
    region.save()
    wanted = {area.pk for area in municipalities}
    for area in Area.objects.in_region(region).select_for_update().exclude(pk__in=wanted):
        area.parent = province
        area.save(update_fields=["parent"])
    Area.objects.filter(pk__in=wanted).exclude(parent=region).update(parent=region)
    return region
