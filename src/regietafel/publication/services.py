"""Publishing a validated half-year, publishing it again, withdrawing it: each in one transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regietafel.access.scope import can
from regietafel.domain.targets import HalfYear
from regietafel.housing.models import PeriodLock
from regietafel.publication import snapshot
from regietafel.publication.models import Publication
from regietafel.regions.models import Area


class PublicationError(ValueError):
    pass


def _check(user) -> None:
    if not can(user, "change", Publication):
        raise PublicationError(_("Only the program team can publish or withdraw figures."))


def publish(user, region: Area, half_year: HalfYear) -> Publication:
    """Publish the region's figures for a locked half-year as they are now: version 1, or the next version."""
    _check(user)
    if region.kind != Area.Kind.REGION:
        raise PublicationError(_("Only a region's figures can be published."))
    with transaction.atomic():
        if not PeriodLock.objects.filter(half_year=str(half_year)).exists():
            raise PublicationError(
                _(
                    "%(half_year)s is not locked, so its figures are not validated yet. Lock the half-year on "
                    "the periods page first; then it can be published."
                )
                % {"half_year": half_year}
            )
        figures = snapshot.build(region, half_year)
        if demo := snapshot.demo_figures(figures):
            raise PublicationError(
                ngettext(
                    "%(half_year)s holds %(count)s figure computed from demo data, and demo data is never "
                    "published: %(figures)s. Import the sourced figures first; then it can be published.",
                    "%(half_year)s holds %(count)s figures computed from demo data, and demo data is never "
                    "published: %(figures)s. Import the sourced figures first; then it can be published.",
                    len(demo),
                )
                % {
                    "half_year": half_year,
                    "count": len(demo),
                    "figures": "; ".join(demo[:5])
                    + (_(" and %(more)s more") % {"more": len(demo) - 5} if len(demo) > 5 else ""),
                }
            )
        latest = (
            Publication.objects.filter(region=region, half_year=str(half_year))
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                return Publication.objects.create(
                    region=region,
                    half_year=str(half_year),
                    version=(latest or 0) + 1,
                    snapshot=figures,
                    published_at=timezone.now(),
                    published_by=user,
                )
        except IntegrityError:
            raise PublicationError(
                _("Someone else published this half-year at the same moment. Reload the page and try again.")
            ) from None


def withdraw(user, publication: Publication, reason: str) -> Publication:
    """Hide a publication from the public; it is kept for the record."""
    _check(user)
    if not reason.strip():
        raise PublicationError(_("Say why the publication is withdrawn."))
    with transaction.atomic():
        updated = Publication.objects.filter(pk=publication.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=user, withdrawal_reason=reason.strip()[:300]
        )
        if not updated:
            raise PublicationError(_("This publication was already withdrawn."))
    publication.refresh_from_db()
    return publication
