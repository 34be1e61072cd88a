"""Changes to housing figures. Each function is one transaction."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from regietafel.core.versioning import StaleEdit, check, gone_message
from regietafel.domain.targets import HalfYear, RedistributionError, validate_redistribution
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import AgreedTarget, Agreement
from regietafel.housing.periods import guarded
from regietafel.regions.models import Area


class AgreementError(ValueError):
    pass


def save_agreement(
    region: Area,
    half_year: HalfYear,
    targets: dict[str, int],
    *,
    agreed_on: datetime.date,
    source: str,
    note: str,
    version: int | None,
    user,
    reason: str = "",
) -> Agreement:
    """Record agreed targets (Huisvestingswet 2014 art. 29 lid 2): the region's total must stay the same.

    ``version`` is the version the user saw (None for a new agreement); a newer one in the database means
    a concurrent edit, which is refused rather than overwritten.
    """
    ledger = HousingLedger(region)
    statutory = {}
    for municipality in ledger.municipalities:
        figure = ledger.statutory(municipality, half_year)[0]
        if not figure.known:
            raise AgreementError(
                _("The statutory target of %(name)s for %(half_year)s is not known, so no total can be kept.")
                % {"name": municipality.name, "half_year": half_year}
            )
        statutory[municipality.code] = figure.value
    try:
        validate_redistribution(statutory, targets)
    except RedistributionError as exc:
        if exc.negative:
            raise AgreementError(
                _("A target cannot be negative: %(codes)s.") % {"codes": ", ".join(exc.negative)}
            ) from exc
        if exc.missing or exc.unknown:
            raise AgreementError(_("Give an agreed target for every municipality of the region.")) from exc
        raise AgreementError(
            _(
                "The agreed targets add up to %(agreed)s, but the statutory targets of the region add up to "
                "%(statutory)s. Municipalities may shift targets among themselves only if the total stays the "
                "same (Huisvestingswet 2014 art. 29 lid 2)."
            )
            % {"agreed": exc.agreed_total, "statutory": exc.statutory_total}
        ) from exc

    municipalities = {m.code: m for m in ledger.municipalities}
    with (
        transaction.atomic(),
        guarded(user, [str(half_year)], reason, _("Agreement of %(region)s") % {"region": region.name}),
    ):
        agreement = (
            Agreement.objects.select_for_update().filter(region=region, half_year=str(half_year)).first()
        )
        if agreement is None:
            if version is not None:
                raise StaleEdit(gone_message())
            agreement = Agreement(region=region, half_year=str(half_year), version=0)
        else:
            check(agreement, version)
        agreement.agreed_on = agreed_on
        agreement.source = source
        agreement.note = note
        agreement.version += 1
        agreement.updated_by = user
        agreement.save()
        agreement.targets.all().delete()
        AgreedTarget.objects.bulk_create(
            AgreedTarget(agreement=agreement, municipality=municipalities[code], target=value)
            for code, value in targets.items()
        )
    return agreement


@transaction.atomic
def delete_agreement(region: Area, half_year: HalfYear, version: int, user=None, reason: str = "") -> None:
    with guarded(
        user, [str(half_year)], reason, _("Agreement of %(region)s removed") % {"region": region.name}
    ):
        agreement = (
            Agreement.objects.select_for_update().filter(region=region, half_year=str(half_year)).first()
        )
        if agreement is None:
            raise StaleEdit(gone_message())
        check(agreement, version).delete()
