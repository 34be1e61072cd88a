"""Changes to the partner register. Each function is one transaction."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regietafel.access.scope import principal
from regietafel.core.models import Theme
from regietafel.core.versioning import locked
from regietafel.organisations.models import Contact, Organisation
from regietafel.regions.models import Area


class OrganisationError(ValueError):
    pass


class ScopeChange(OrganisationError):
    """A user who is no beheerder tried to change what decides what an organisation's users may see."""


def may_define_scope(user) -> bool:
    """An organisation's type and municipality decide what every member and token of it may read and write: only a
    beheerder changes them (system code without a user, such as the demo loader, too)."""
    return user is None or principal(user).is_admin


def save_organisation(
    organisation: Organisation | None,
    *,
    name: str,
    kind: str,
    description: str = "",
    website: str = "",
    municipality: Area | None = None,
    themes: Iterable[Theme] = (),
    works_in: Iterable[Area] = (),
    mayor: str = "",
    town_clerk: str = "",
    portfolio_holder: str = "",
    version: int | None,
    user=None,
) -> Organisation:
    """Create an organisation (``organisation`` None) or change one, with its themes and working area.

    ``version`` is the version the user saw (None for a new organisation); a newer one in the database means
    a concurrent edit, which is refused rather than overwritten.
    """
    name = name.strip()
    if not name:
        raise OrganisationError(_("Give the organisation a name."))
    if kind not in Organisation.Kind.values:
        raise OrganisationError(_("Unknown type %(kind)s.") % {"kind": kind})
    if municipality is not None:
        if municipality.kind != Area.Kind.MUNICIPALITY:
            raise OrganisationError(_("%(name)s is not a municipality.") % {"name": municipality.name})
        if kind != Organisation.Kind.MUNICIPALITY:
            raise OrganisationError(_("Only an organisation of type municipality can govern a municipality."))
    works_in = list(works_in)
    if any(area.kind != Area.Kind.MUNICIPALITY for area in works_in):
        raise OrganisationError(_("An organisation works in municipalities only."))
    with transaction.atomic():
        if organisation is None:
            record = Organisation()
        else:
            record = locked(Organisation, organisation.pk, version)
            if not may_define_scope(user) and (
                record.kind != kind or record.municipality_id != (municipality.pk if municipality else None)
            ):
                raise ScopeChange(
                    _(
                        "Only a beheerder changes an organisation's type or the municipality it governs: they "
                        "decide what its users may see."
                    )
                )
            record.version += 1
        others = Organisation.objects.exclude(pk=record.pk)
        if others.filter(name__iexact=name).exists():
            raise OrganisationError(_("There is already an organisation called %(name)s.") % {"name": name})
        if municipality is not None and others.filter(municipality=municipality).exists():
            raise OrganisationError(
                _("%(name)s already has its own organisation in the register.") % {"name": municipality.name}
            )
        record.name = name
        record.kind = kind
        record.description = description
        record.website = website
        record.municipality = municipality
        record.mayor, record.town_clerk, record.portfolio_holder = mayor, town_clerk, portfolio_holder
        record.updated_by = user
        record.save()
        record.themes.set(themes)
        record.works_in.set(works_in)
    return record


def _touch(organisation_id: int, user) -> None:
    """A contact change is a change to the organisation's entry, though not to the details a form locks."""
    Organisation.objects.filter(pk=organisation_id).update(updated_at=timezone.now(), updated_by=user)


@transaction.atomic
def add_contact(
    organisation: Organisation, *, name: str, role: str = "", email: str = "", phone: str = "", user=None
) -> Contact:
    contact = Contact.objects.create(
        organisation=organisation, name=name.strip(), role=role, email=email, phone=phone
    )
    _touch(organisation.pk, user)
    return contact


@transaction.atomic
def save_contact(
    contact: Contact, *, name: str, role: str, email: str, phone: str, version: int | None, user=None
) -> Contact:
    record = locked(Contact, contact.pk, version)
    record.name = name.strip()
    record.role = role
    record.email = email
    record.phone = phone
    record.version += 1
    record.save()
    _touch(record.organisation_id, user)
    return record


@transaction.atomic
def delete_contact(contact: Contact, *, version: int | None, user=None) -> None:
    locked(Contact, contact.pk, version).delete()
    _touch(contact.organisation_id, user)


@transaction.atomic
@transaction.atomic
def ensure_municipal_organisations(region: Area) -> int:
    """Give every municipality of the region its own organisation; returns how many were created.

    Running it again creates nothing and leaves what users changed alone. An organisation of type
    municipality with the municipality's name that is not linked yet is linked rather than duplicated.
    """
    created = 0
    for area in Area.objects.in_region(region).order_by("name"):
        if Organisation.objects.filter(municipality=area).exists():
            continue
        # The organisation's own name, in Dutch: data, not interface text.
        name = f"Gemeente {area.name}"
        existing = Organisation.objects.filter(name__iexact=name).first()
        if (
            existing is not None
            and existing.kind == Organisation.Kind.MUNICIPALITY
            and existing.municipality is None
        ):
            existing.municipality = area
            existing.version += 1
            existing.save()
            existing.works_in.add(area)
            continue
        if existing is not None:
            name = f"{name} ({area.code})"
        organisation = Organisation.objects.create(
            name=name, kind=Organisation.Kind.MUNICIPALITY, municipality=area
        )
        organisation.works_in.add(area)
        created += 1
    return created


def regions_missing_organisations() -> list[tuple[Area, int]]:
    """The regions with municipalities that have no organisation of their own yet, and how many."""
    have = Organisation.objects.filter(municipality__isnull=False).values("municipality")
    found = []
    for region in Area.objects.regions().order_by("name"):
        missing = Area.objects.in_region(region).exclude(pk__in=have).count()
        if missing:
            found.append((region, missing))
    return found
