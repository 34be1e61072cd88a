"""Demo conditions for IJsselland: the themes the seed letter names, with invented Dutch texts.

The seed letter (section "Bestuursovereenkomst Overijssel") says the region asks the state for finance and
for conditions on education, care, participation, pre-integration (voorinburgering) and liveability, and keeps
what is not realised in a "nog niet akkoord" package. Which conditions exist and their status are not public:
everything here is invented, stored with is_demo=True and marked "demo". Owners are roles, never
named people.
"""

from django.db import transaction

from regietafel.conditions.models import Condition
from regietafel.conditions.services import save_condition
from regietafel.core.models import Theme
from regietafel.regions.models import Area

AGREED = Condition.Status.AGREED
NOT_AGREED = Condition.Status.NOT_AGREED
PILOT = Condition.Status.PILOT_REQUESTED

# (theme slug, title, status, owner, description, what we ask)
CONDITIONS = [
    (
        "finance",
        "Structurele financiering van opvang en huisvesting",
        NOT_AGREED,
        "Portefeuillehouder financiën regietafel",
        "Gemeenten financieren opvang en huisvesting nu met jaarlijkse, incidentele regelingen. Daardoor kunnen "
        "zij en de corporaties geen meerjarige plannen maken en geen vaste medewerkers aannemen.",
        "Een meerjarige, structurele vergoeding per opvangplek en per gehuisveste statushouder, vastgelegd in "
        "de bestuursovereenkomst en geïndexeerd.",
    ),
    (
        "finance",
        "Vergoeding uitvoeringskosten gemeentelijke opvang Oekraïne",
        AGREED,
        "Programmateam regietafel",
        "De normbedragen voor de gemeentelijke opvang van ontheemden uit Oekraïne dekten de werkelijke kosten "
        "niet bij kleine locaties.",
        "Een vergoeding die ook bij kleinschalige locaties de uitvoeringskosten dekt.",
    ),
    (
        "education",
        "Capaciteit voor nieuwkomersonderwijs",
        PILOT,
        "Wethouder onderwijs, namens de regio",
        "De eerste opvang en de azc's in de regio brengen kinderen die direct naar school moeten. De scholen "
        "voor nieuwkomersonderwijs zitten vol en hebben te weinig leraren.",
        "Bekostiging vanaf de eerste schooldag en een regionale pilot met een flexibele "
        "nieuwkomersvoorziening die meegroeit met de bezetting van de opvang.",
    ),
    (
        "care",
        "Huisarts- en GGZ-capaciteit bij nieuwe opvanglocaties",
        NOT_AGREED,
        "Wethouder zorg, namens de regio",
        "Bij nieuwe opvanglocaties ontbreekt vaak huisartsenzorg, en de geestelijke gezondheidszorg voor "
        "gevluchte kinderen en jongeren heeft lange wachttijden.",
        "Afspraken met het Rijk en de zorgverzekeraars over huisarts- en GGZ-capaciteit bij elke nieuwe locatie, "
        "en vergoeding van de extra inzet van de wijkteams.",
    ),
    (
        "participation",
        "Werken en meedoen vanaf de eerste maand",
        AGREED,
        "Werkgeversservicepunt, namens de regio",
        "Asielzoekers en statushouders willen snel aan het werk of als vrijwilliger meedoen; regels en "
        "wachttijden maken dat lastig.",
        "Ruimte om vanaf de eerste maand te werken, met begeleiding door het werkgeversservicepunt.",
    ),
    (
        "pre-integration",
        "Voorinburgering in het azc",
        PILOT,
        "Programmateam regietafel",
        "Statushouders wachten in het azc vaak maanden op een woning. Die tijd kan worden gebruikt om de taal "
        "te leren en kennis te maken met de gemeente waar zij gaan wonen.",
        "Een pilot waarin statushouders al in het azc starten met taal, werk en inburgering, in samenwerking "
        "met hun toekomstige woongemeente.",
    ),
    (
        "liveability",
        "Leefbaarheid rond opvanglocaties",
        NOT_AGREED,
        "Burgemeester, namens de regio",
        "Rond grotere (nood)opvanglocaties vragen omwonenden om een vast aanspreekpunt, beheer en aandacht "
        "voor veiligheid.",
        "Middelen voor wijkgerichte inzet en beheer rond opvanglocaties, en een vast aanspreekpunt bij het COA "
        "voor elke locatie.",
    ),
    (
        "housing",
        "Versnelling van flexwoningen voor statushouders",
        NOT_AGREED,
        "Wethouder wonen, namens de regio",
        "De meeste gemeenten lopen achter op de taakstelling; de woningnood maakt het moeilijk om "
        "statushouders passend te huisvesten.",
        "Een bijdrage per flexwoning en snellere procedures, zodat gemeenten en corporaties tijdelijke woningen "
        "binnen een jaar kunnen plaatsen.",
    ),
]


def remove_demo() -> int:
    return Condition.objects.filter(is_demo=True).delete()[1].get(Condition._meta.label, 0)


@transaction.atomic
def load_demo(region_code: str = "VR04") -> dict[str, int]:
    """Replace the demo conditions of a region by the ones above (their history starts now)."""
    remove_demo()
    region = Area.objects.regions().get(code=region_code)
    for slug, title, status, owner, description, ask in CONDITIONS:
        save_condition(
            None,
            title=title,
            theme=Theme.objects.get(slug=slug),
            status=status,
            owner_name=owner,
            description=description,
            what_we_ask=ask,
            region=region,
            is_demo=True,
        )
    return {"randvoorwaarden": len(CONDITIONS)}
