"""The first Spreidingswet cycle as a worked example: Overijssel's 6,325 places by population share.

Built only from sourced figures of the data set (CBS populations on 1 January 2024, the provincial task and the
national share for minors), so it is not demo data. It lets a new user see the planner's proposal next to the
state's published indicative numbers at once.
"""

import datetime

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from regietafel.distribution import services
from regietafel.distribution.models import DistributionKey, Method, Scenario
from regietafel.reception.models import Programme, ReceptionTask
from regietafel.regions.models import NATIONAL_CODE, Area

POPULATION_DATE = datetime.date(2024, 1, 1)


@transaction.atomic
def seed_first_cycle() -> Scenario | None:
    """Create the population-share key and the Overijssel scenario once; None when the data set is not loaded."""
    province = Area.objects.filter(code="PV23").first()
    task = services.default_total(province, Programme.ASYLUM) if province else None
    share = (
        ReceptionTask.objects.filter(
            area__code=NATIONAL_CODE, measure=ReceptionTask.Measure.MINOR_SHARE, cycle=1
        )
        .order_by("-reference_date")
        .first()
    )
    if task is None or share is None:
        return None
    with translation.override("nl"):
        key_name = _("Population share, without correction")
        scenario_name = _("First cycle Overijssel: population share, largest remainder")
        existing = Scenario.objects.filter(name=scenario_name, area=province).first()
        if existing is not None:
            return existing
        key = DistributionKey.objects.filter(name=key_name).first() or services.save_key(
            None,
            name=key_name,
            description=_(
                "Every municipality's share of the population on 1 January 2024 (CBS), without the state's "
                "socio-economic correction, which is not public. Places already realised are not counted first, "
                "so the proposal can be set next to the state's indicative split."
            ),
            population_date=POPULATION_DATE,
            amv_share=share.value,
            count_realised=False,
            source="",
        )
        return services.create_scenario(
            name=scenario_name,
            area=province,
            programme=Programme.ASYLUM,
            cycle=task.cycle,
            total=int(task.value),
            total_source=services.total_source(task),
            method=Method.HAMILTON,
            key=key,
            realised_on=task.reference_date,
            note=_(
                "The state's indicative numbers (for Zwolle, Kampen, Raalte and Staphorst) differ from this "
                "proposal because the state corrected the population share for a socio-economic score that is "
                "not public."
            ),
        )
