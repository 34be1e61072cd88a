"""Changes to indicator definitions and domains, each one transaction.

Edits carry the version the user saw; when someone else (or an import) saved in between, StaleEdit is raised and
nothing is written.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from regietafel.core.versioning import locked
from regietafel.indicators.models import Domain, Indicator


class IndicatorError(ValueError):
    pass


def save_indicator(indicator: Indicator | None, values: dict, version: int | None = None) -> Indicator:
    with transaction.atomic():
        if indicator is None:
            if Indicator.objects.filter(code=values["code"]).exists():
                raise IndicatorError(_("An indicator with code %(code)s exists already.") % values)
            return Indicator.objects.create(**values)
        current = locked(Indicator, indicator.pk, version)
        if values["code"] != current.code and Indicator.objects.filter(code=values["code"]).exists():
            raise IndicatorError(_("An indicator with code %(code)s exists already.") % values)
        for name, value in values.items():
            setattr(current, name, value)
        current.version = F("version") + 1
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            # Only a code taken at the same moment by someone else gets here: the form checks everything else.
            raise IndicatorError(_("An indicator with code %(code)s exists already.") % values) from None
        current.refresh_from_db()
        return current


def add_domain(code: str, name: str) -> Domain:
    with transaction.atomic():
        position = (Domain.objects.aggregate(last=Max("position"))["last"] or 0) + 1
        return Domain.objects.create(code=code, name=name, position=position)
