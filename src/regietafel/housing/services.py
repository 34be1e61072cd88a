"""Changes to housing figures. Each function is one transaction."""

import datetime

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from regietafel.access.models import Membership
from regietafel.access.policy import Role
from regietafel.core.tasks import enqueue_on_commit
from regietafel.core.versioning import StaleEdit, check, gone_message
from regietafel.domain import deliveries
from regietafel.domain.targets import HalfYear, RedistributionError, validate_redistribution
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import AgreedTarget, Agreement, DeliveryReminder, HousingRealisation
from regietafel.housing.periods import guarded
from regietafel.notifications.models import Kind
from regietafel.notifications.services import Event, house_language, members, notify
from regietafel.organisations.models import Contact
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


# Monthly figures a municipality still owes, and reminders about them ---------------------------------------------


def delivered(municipalities, months) -> dict[tuple[int, datetime.date], HousingRealisation]:
    """The sourced (not demo) realisation of these municipalities in these months, by (municipality id, month)."""
    return {
        (record.municipality_id, record.month): record
        for record in HousingRealisation.objects.filter(
            municipality__in=municipalities, month__in=months, is_demo=False
        )
    }


def missing_months(area: Area, today: datetime.date) -> list[datetime.date]:
    """The ended months of this year for which ``area`` delivered no realisation (a demo figure is not a delivery)."""
    months = deliveries.asked_months(today.year, today)
    have = delivered([area], months)
    return [month for month in months if (area.pk, month) not in have]


def reminder_recipients(area: Area) -> list[str]:
    """The e-mail addresses of the municipality's contacts and of its users with a role."""
    contacts = (
        Contact.objects.filter(organisation__municipality=area)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True, membership__organisation__municipality=area)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted({address.lower(): address for address in [*contacts, *users]}.values())


@transaction.atomic
def remind(area: Area, months: list[datetime.date], user) -> DeliveryReminder:
    """Record a reminder about ``months`` and have the worker send it to the municipality's contacts."""
    if not months:
        raise ValueError(_("%(name)s has delivered every month asked for.") % {"name": area.name})
    recipients = reminder_recipients(area)
    if not recipients:
        raise ValueError(
            _("%(name)s has no contact or user with an e-mail address: add one in the partner register.")
            % {"name": area.name}
        )
    reminder = DeliveryReminder.objects.create(
        municipality=area,
        months=[f"{month:%Y-%m}" for month in months],
        sent_by=user,
        recipients=len(recipients),
    )
    enqueue_on_commit(send_reminder, reminder.pk)
    return reminder


@task()
def send_reminder(reminder_id: int) -> str:
    reminder = DeliveryReminder.objects.select_related("municipality").filter(pk=reminder_id).first()
    if reminder is None:
        return "gone"
    months = ", ".join(
        date_format(datetime.date.fromisoformat(f"{month}-01"), "F Y") for month in reminder.months
    )
    body = _(
        "Dear colleague,\n\n"
        "Regietafel has no realisation (status holders housed) of %(name)s for: %(months)s.\n"
        "Please deliver these figures, through the import in Regietafel or to the programme team.\n\n"
        "The programme team of the steering table\n"
    ) % {"name": reminder.municipality.name, "months": months}
    send_mail(
        _("Figures of %(name)s not yet delivered") % {"name": reminder.municipality.name},
        body,
        None,
        reminder_recipients(reminder.municipality),
    )
    return "sent"


def notify_figures(today: datetime.date) -> int:
    """Tell each municipality's users what it still owes: the month just ended while its figures are due, and
    the late months once their due day has passed (one notice per latest late month, listing them all). Returns
    how many notices were raised."""
    year = today.year if today.month > 1 else today.year - 1
    months = deliveries.asked_months(year, today)
    if not months:
        return 0
    raised = 0
    with_users = Membership.objects.filter(user__is_active=True).exclude(role=Role.NONE)
    municipalities = Area.objects.municipalities().filter(
        pk__in=with_users.values("organisation__municipality")
    )
    have = delivered(municipalities, months)
    for area in municipalities:
        missing = [month for month in months if (area.pk, month) not in have]
        late = [month for month in missing if deliveries.late(month, today)]
        due = [month for month in missing if month not in late and month == months[-1]]
        with house_language():
            events = []
            if due:
                values = {
                    "name": area.name,
                    "month": date_format(due[0], "F Y"),
                    "date": date_format(deliveries.due_on(due[0]), "j F Y"),
                }
                events.append(
                    Event(
                        Kind.FIGURES_DUE,
                        f"area:{area.pk}:figures:{due[0]:%Y-%m}:due",
                        area,
                        _("Figures of %(name)s for %(month)s due on %(date)s") % values,
                        _(
                            "The realisation (status holders housed) of %(name)s for %(month)s is due on %(date)s. "
                            "Deliver it through the import in Regietafel."
                        )
                        % values,
                        reverse("imports:index"),
                    )
                )
            if late:
                values = {
                    "name": area.name,
                    "months": ", ".join(date_format(month, "F Y") for month in late),
                }
                events.append(
                    Event(
                        Kind.FIGURES_LATE,
                        f"area:{area.pk}:figures:{late[-1]:%Y-%m}:late",
                        area,
                        _("Figures of %(name)s are late: %(months)s") % values,
                        _(
                            "Regietafel has no realisation (status holders housed) of %(name)s for: %(months)s. "
                            "Deliver these figures through the import in Regietafel, or to the programme team."
                        )
                        % values,
                        reverse("imports:index"),
                    )
                )
        for event in events:
            raised += len(notify(event, members(municipalities=[area.pk])))
    return raised
