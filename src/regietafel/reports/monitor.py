"""The regional monitor report: the region's position on a date, built once for the web page and the PDF alike.

Everything comes from the ledgers the monitor pages use (``HousingLedger``, ``ReceptionLedger``) and the tables
built from them (``monitor.tables``), read as they were on the report's date. Nothing is recomputed here.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regietafel.access.scope import restrict
from regietafel.core.figures import Figure, combine, total
from regietafel.domain.targets import HalfYear, ScheduleStatus
from regietafel.housing import supervision
from regietafel.housing.ledger import HousingLedger
from regietafel.indicators.ledger import IndicatorLedger
from regietafel.indicators.models import Value
from regietafel.meetings.models import Action, Body, Meeting, Referral, Signal
from regietafel.monitor import tables
from regietafel.reception.ledger import ReceptionLedger
from regietafel.regions.models import Area
from regietafel.reports.charts import Chart, grouped_bars

TREND_HALF_YEARS = 4
LARGEST_CHANGES = 10


@dataclass
class TrendRow:
    half_year: HalfYear
    target: Figure  # region total corrected target (statutory or agreed when the carry-over is unknown)
    housed: Figure
    status: ScheduleStatus | None

    @property
    def basis(self) -> Figure:
        """What the status was judged from (a status from a demo figure is marked demo)."""
        return combine(None, self.target, self.housed)


@dataclass
class Change:
    area: Area
    measure: str
    before: Figure
    after: Figure

    @property
    def delta(self) -> Figure:
        """After minus before, citing both (a change computed from a demo figure is demo)."""
        return combine(self.after.value - self.before.value, self.before, self.after)


@dataclass
class MonitorReport:
    region: Area
    on: datetime.date
    half_year: HalfYear | None
    position_date: datetime.date | None
    national: Figure
    housing: tables.Table | None
    by_region: tables.Table | None
    tiles: dict
    housing_chart: Chart | None
    trend: list[TrendRow]
    trend_chart: Chart | None
    asylum: tables.Table
    asylum_chart: Chart
    ukraine: tables.Table
    minors: tables.Table
    minors_housing: tables.Table | None
    compared_with: datetime.date
    compared_basis: str
    changes: list[Change]
    actions: list[Action]
    referrals: list[Referral]
    next_meeting: Meeting | None
    # Signals open on the date, urgent first; and those closed since the report compared with.
    signals_open: list[Signal] = field(default_factory=list)
    signals_closed: list[Signal] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    # Municipalities above their province's first step of supervision, or with a proposal.
    supervision: list = field(default_factory=list)
    # Beyond counts: each indicator in use across the region (``IndicatorLedger.summary``).
    indicators: list = field(default_factory=list)

    @property
    def is_demo(self) -> bool:
        parts = [self.asylum, self.ukraine, self.minors]
        parts += [table for table in (self.housing, self.minors_housing) if table]
        return (
            any(table.is_demo for table in parts)
            or any(row.target.is_demo or row.housed.is_demo for row in self.trend)
            or any(change.before.is_demo or change.after.is_demo for change in self.changes)
            or any(row.missed.is_demo or (row.current and row.current.is_demo) for row in self.supervision)
        )


def _value(figure: Figure) -> int | None:
    return int(figure.value) if figure.known else None


def _bars(figures: list[list[Figure]]) -> tuple[list[list[int | None]], list[list[bool]]]:
    """A chart's values and which of them are demo figures."""
    return [[_value(f) for f in row] for row in figures], [[f.is_demo for f in row] for row in figures]


def _trend(ledger: HousingLedger, half_year: HalfYear) -> list[TrendRow]:
    known = [item for item in ledger.half_years() if item <= half_year][-TREND_HALF_YEARS:]
    rows = []
    for item in known:
        table = tables.housing_table(ledger, item)
        cells = table.total.cells
        target = cells["corrected"]
        if not target.known:
            target = total(
                [
                    row.cells["agreed"] if row.cells["agreed"].known else row.cells["statutory"]
                    for row in table.rows
                ]
            )
        rows.append(TrendRow(item, target, cells["housed"], table.total.status))
    return rows


def _changes(region: Area, ledger: HousingLedger, on: datetime.date, before: datetime.date) -> list[Change]:
    """The largest changes per municipality since ``before``: reception places and the housing position."""
    then, now = ReceptionLedger(region, before), ReceptionLedger(region, on)
    measures = [
        (_("Asylum reception places in use"), "asylum_rows"),
        (_("Municipal places for displaced Ukrainians"), "ukraine_rows"),
        (_("Small-scale places for minors"), "minors_rows"),
    ]
    changes = []
    for label, rows in measures:
        for old, new in zip(getattr(then, rows)(), getattr(now, rows)(), strict=True):
            if old.capacity.known and new.capacity.known and old.capacity.value != new.capacity.value:
                changes.append(Change(new.municipality, label, old.capacity, new.capacity))
    earlier = HousingLedger(region, before)
    half_year = HalfYear.containing(on)
    if HalfYear.containing(before) == half_year:
        for municipality in ledger.municipalities:
            old, _minors = earlier.housed(municipality, half_year)
            new, _minors = ledger.housed(municipality, half_year)
            old = old if old.known else Figure(0, frozenset())
            if new.known and new.value != old.value:
                changes.append(Change(municipality, _("Status holders housed this half-year"), old, new))
    changes.sort(key=lambda change: (-abs(change.delta.value), change.area.name, change.measure))
    return changes[:LARGEST_CHANGES]


PREVIOUS_REPORT = gettext_lazy("the previous monitor report")
A_MONTH_EARLIER = gettext_lazy("one month earlier (there is no earlier report)")


def build(region: Area, on: datetime.date, user=None, previous: datetime.date | None = None) -> MonitorReport:
    """The monitor of ``region`` on ``on``. ``user`` narrows the actions and referrals to what they may see;
    None is the system itself (the command line). ``previous`` is the date of the previous report, if any."""
    ledger = HousingLedger(region, on)
    # The half-year running on that date, also when its national number is not known (its rows then say so).
    half_year = HalfYear.containing(on)
    housing = tables.housing_table(ledger, half_year)
    # A province's or the nation's report adds its regions up, as the overview does.
    by_region = (
        tables.housing_by_region(ledger, housing, half_year) if region.kind != Area.Kind.REGION else None
    )
    reception = ReceptionLedger(region, on)
    asylum = tables.reception_table(reception, "asylum")
    names = [row.area.name for row in asylum.rows]
    housing_chart = None
    if housing:
        housing_chart = grouped_bars(
            [row.area.name for row in housing.rows],
            [_("Corrected target"), _("Housed so far")],
            *_bars(
                [
                    [
                        row.cells["corrected"] if row.cells["corrected"].known else row.cells["statutory"],
                        row.cells["housed"],
                    ]
                    for row in housing.rows
                ]
            ),
        )
    trend = _trend(ledger, half_year) if half_year else []
    trend_chart = (
        grouped_bars(
            [str(row.half_year) for row in trend],
            [_("Target"), _("Housed")],
            *_bars([[row.target, row.housed] for row in trend]),
        )
        if trend
        else None
    )
    compared_with = previous or _month_before(on)
    actions = Action.objects.filter(status__in=Action.OPEN_STATUSES).select_related("owner_organisation")
    referrals = Referral.objects.filter(status=Referral.Status.SENT).select_related("forum")
    if user is not None:
        actions = restrict(actions, user, "view")
        referrals = restrict(referrals, user, "view")
    signals = Signal.objects.filter(raised_on__lte=on).select_related("raised_by")
    if user is not None:
        signals = restrict(signals, user, "view")
    urgency_first = Case(
        *(When(urgency=level, then=rank) for rank, level in enumerate(reversed(Signal.Urgency.values))),
        output_field=IntegerField(),
    )
    signals_open = signals.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on)).order_by(
        urgency_first, "raised_on", "id"
    )
    signals_closed = signals.filter(closed_on__gt=compared_with, closed_on__lte=on).order_by(
        "closed_on", "id"
    )
    meetings = Meeting.objects.filter(body__kind=Body.Kind.STEERING_TABLE, starts_at__date__gt=on)
    if user is not None:
        meetings = restrict(meetings, user, "view")
    return MonitorReport(
        region=region,
        on=on,
        half_year=half_year,
        position_date=ledger.position_date(half_year) if half_year else None,
        national=ledger.national_target(half_year) if half_year else Figure.unknown(),
        housing=housing,
        by_region=by_region,
        tiles=(
            tables.tiles([row.area for row in by_region.rows], by_region)
            if by_region
            else tables.tiles(ledger.municipalities, housing)
        ),
        housing_chart=housing_chart,
        trend=trend,
        trend_chart=trend_chart,
        asylum=asylum,
        asylum_chart=grouped_bars(
            names,
            [_("Indicative places"), _("Places in use")],
            *_bars([[row.cells["task"], row.cells["capacity"]] for row in asylum.rows]),
        ),
        ukraine=tables.reception_table(reception, "ukraine"),
        minors=tables.reception_table(reception, "minors"),
        minors_housing=tables.minors_housing_table(ledger, half_year) if half_year else None,
        compared_with=compared_with,
        compared_basis=str(PREVIOUS_REPORT if previous else A_MONTH_EARLIER),
        changes=_changes(region, ledger, on, compared_with),
        actions=list(actions.order_by("deadline")[:25]),
        referrals=list(referrals.order_by("sent_on")[:25]),
        signals_open=list(signals_open[:25]),
        signals_closed=list(signals_closed[:25]),
        next_meeting=meetings.order_by("starts_at").first(),
        counts=_status_counts(housing),
        supervision=supervision.on_a_step(
            supervision.rows(
                ledger,
                half_year,
                missed={row.area.pk: row.cells["missed"] for row in housing.rows} if housing else None,
            )
        ),
        indicators=IndicatorLedger(region, on).summary(
            Value.objects.all() if user is None else restrict(Value.objects.all(), user)
        ),
    )


def _status_counts(housing: tables.Table | None) -> dict:
    counts = {status.value: 0 for status in ScheduleStatus}
    counts["none"] = 0
    for row in housing.rows if housing else []:
        counts[row.status.value if row.status else "none"] += 1
    return counts


def _month_before(day: datetime.date) -> datetime.date:
    first = day.replace(day=1)
    previous_month_end = first - datetime.timedelta(days=1)
    return previous_month_end.replace(day=min(day.day, previous_month_end.day))
