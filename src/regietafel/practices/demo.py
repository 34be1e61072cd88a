"""Demo practices for IJsselland: invented examples, stored with is_demo=True,
so the UI marks them "demo" and they never pass as a municipality's real practice.

Needs the municipalities of the data set (``regietafel load-dataset``) and the seeded themes.
"""

from django.db import transaction

from regietafel.core.models import Theme
from regietafel.practices.models import Practice, TargetGroup
from regietafel.practices.services import delete_practice, save_practice
from regietafel.regions.models import Area

CONTACT = "Voorbeeldcontact, beleidsadviseur {role}, werkwijzen@example.org"

DEMO_PRACTICES = [
    {
        "title": "Buddy-programma voor nieuwe statushouders",
        "municipality": "GM0193",
        "target_group": TargetGroup.STATUS_HOLDERS,
        "themes": ["participation", "integration"],
        "problem": (
            "Nieuwe inwoners met een verblijfsvergunning kennen na de verhuizing uit het azc vaak niemand in "
            "hun wijk. Vragen over post, school en zorg komen bij de consulent terecht, die daar geen tijd "
            "voor heeft."
        ),
        "approach": (
            "Vrijwilligers uit de wijk worden een jaar lang buddy van een huishouden. Een coördinator van het "
            "welzijnswerk koppelt op taal, gezinssamenstelling en interesses, en houdt elke zes weken een "
            "intervisie. De buddy helpt met de weg vinden, niet met de inburgering zelf."
        ),
        "results": (
            "Na een jaar hadden de meeste deelnemers een vast contact in de buurt en kwamen minder losse "
            "vragen bij de consulent. Vrijwilligers vinden was makkelijker via sportclubs dan via oproepen."
        ),
        "role": "participatie",
    },
    {
        "title": "Flexwonen in leegstaande panden",
        "municipality": "GM0150",
        "target_group": TargetGroup.ALL,
        "themes": ["housing", "liveability"],
        "problem": (
            "De taakstelling voor huisvesting van statushouders loopt achter, terwijl ook starters en "
            "spoedzoekers lang wachten. Nieuwbouw duurt jaren."
        ),
        "approach": (
            "Een leegstaand kantoorpand is samen met de woningcorporatie omgebouwd tot tijdelijke "
            "zelfstandige woningen voor tien jaar. De bewoners zijn een mix van statushouders, starters en "
            "spoedzoekers; een beheerder is twee dagen per week in het gebouw."
        ),
        "results": (
            "De eerste bewoners wonen er sinds een half jaar. De gemengde bewoning voorkomt dat het pand als "
            "'azc in de wijk' wordt gezien; de buurt is vooraf in drie avonden betrokken."
        ),
        "role": "wonen",
    },
    {
        "title": "Taalcafé in de bibliotheek",
        "municipality": "GM0166",
        "target_group": TargetGroup.ALL,
        "themes": ["participation", "pre-integration", "education"],
        "problem": (
            "Wie Nederlands leert, oefent weinig buiten de les. Ontheemden uit Oekraïne vallen niet onder de "
            "inburgeringsplicht en missen daardoor vaak een plek om te oefenen."
        ),
        "approach": (
            "Elke woensdagmiddag en donderdagavond is er een taalcafé in de bibliotheek, begeleid door "
            "getrainde taalvrijwilligers. Er is geen aanmelding nodig; kinderen kunnen mee naar de leeshoek."
        ),
        "results": (
            "Gemiddeld twintig bezoekers per keer, ongeveer de helft uit Oekraïne. Deelnemers stromen door "
            "naar vrijwilligerswerk in de bibliotheek zelf."
        ),
        "role": "onderwijs",
    },
    {
        "title": "Werkgeversdag statushouders",
        "municipality": "GM0160",
        "target_group": TargetGroup.STATUS_HOLDERS,
        "themes": ["labour-market", "participation"],
        "problem": (
            "Werkgevers in de maakindustrie en de zorg zoeken personeel, maar weten niet hoe ze statushouders "
            "bereiken of wat er geregeld moet worden rond taal en begeleiding."
        ),
        "approach": (
            "Het werkgeversservicepunt organiseert twee keer per jaar een werkgeversdag: korte gesprekken "
            "tussen werkgevers en statushouders die een taaltraject volgen, met tolken aan tafel en uitleg "
            "over loonkostensubsidie en jobcoaching."
        ),
        "results": (
            "Per dag ongeveer vijftien vervolggesprekken en een handvol proefplaatsingen. Werkgevers vragen om "
            "een vast aanspreekpunt na de dag."
        ),
        "role": "werk en inkomen",
    },
    {
        "title": "Kleinschalige AMV-opvang met Nidos",
        "municipality": "GM0177",
        "target_group": TargetGroup.UNACCOMPANIED_MINORS,
        "themes": ["reception", "care", "education"],
        "problem": (
            "Alleenstaande minderjarige vluchtelingen met een verblijfsvergunning wachten lang in grote "
            "opvanglocaties op een plek in een gemeente, terwijl ze juist begeleiding dichtbij nodig hebben."
        ),
        "approach": (
            "Een woonvoorziening voor acht jongeren van 15 tot 18 jaar, met 24-uursbegeleiding door een "
            "zorgaanbieder en voogdij door Nidos. School, huisarts en sportvereniging zijn vooraf benaderd; "
            "de coördinatie ligt bij één regisseur van de gemeente."
        ),
        "results": (
            "Alle jongeren gaan naar school en hebben een vaste mentor. Het vinden van vervolghuisvesting na "
            "het achttiende jaar blijft het knelpunt."
        ),
        "role": "jeugd",
    },
    {
        "title": "Gastgezinnen en gemeentelijke opvang voor Oekraïners",
        "municipality": "GM1708",
        "target_group": TargetGroup.DISPLACED_UKRAINIANS,
        "themes": ["reception", "housing", "labour-market"],
        "problem": (
            "Na de eerste opvang bij gastgezinnen liepen veel gastgezinnen tegen hun grenzen aan, en de "
            "gemeentelijke opvang voor ontheemden uit Oekraïne raakte vol."
        ),
        "approach": (
            "Een vast team van de gemeente houdt contact met gastgezinnen, bemiddelt bij spanningen en regelt "
            "tijdig een plek in de gemeentelijke opvang. Ontheemden met werk worden geholpen om zelf een woning "
            "te huren."
        ),
        "results": (
            "Minder noodverhuizingen en een voorspelbare bezetting van de opvang. Een deel van de ontheemden "
            "huurt inmiddels zelf."
        ),
        "role": "opvang",
    },
]


def remove_demo() -> int:
    """Delete the demo practices (and their attachments); return how many."""
    practices = list(Practice.objects.filter(is_demo=True))
    for practice in practices:
        delete_practice(practice, practice.version)
    return len(practices)


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Replace the demo practices by the examples above."""
    remove_demo()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for example in DEMO_PRACTICES:
        data = {
            "title": example["title"],
            "problem": example["problem"],
            "approach": example["approach"],
            "results": example["results"],
            "contact": CONTACT.format(role=example["role"]),
            "target_group": example["target_group"],
            "municipality": Area.objects.municipalities().get(code=example["municipality"]),
            "is_demo": True,
        }
        save_practice(data, [themes[slug] for slug in example["themes"]], None)
    return {"werkwijzen": len(DEMO_PRACTICES)}
