"""Writes to areas and population figures. Callers own the transaction (imports run in one)."""

from django.utils.translation import gettext as _

from regietafel.regions.models import Area

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
