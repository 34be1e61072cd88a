import pytest

from regietafel.core.models import Theme
from regietafel.practices.models import TargetGroup
from regietafel.practices.services import save_practice
from regietafel.regions.models import Area

# The shared search test set: the same queries must find the same practices on SQLite and on PostgreSQL.
# (title, municipality code, themes, target group, problem, approach, results)
TEST_SET = [
    (
        "Coördinatie van de opvang",
        "GM0193",
        ["reception"],
        TargetGroup.ASYLUM_SEEKERS,
        "Te veel partijen regelden elk een deel van de opvang.",
        "Eén vaste regisseur bij de gemeente; wekelijks overleg met het COA.",
        "Kortere lijnen tussen gemeente en locatie Zwolle.",
    ),
    (
        "Taalcafé voor nieuwkomers",
        "GM0166",
        ["participation", "education"],
        TargetGroup.ALL,
        "Nieuwkomers oefenen weinig Nederlands buiten de les.",
        "Wekelijks een taalcafé in de bibliotheek. Ook ontheemden uit Oekraïne zijn welkom.",
        "Twintig bezoekers per keer.",
    ),
    (
        "Buddy-programma statushouders",
        "GM0193",
        ["participation", "integration"],
        TargetGroup.STATUS_HOLDERS,
        "Nieuwe inwoners kennen niemand in de wijk.",
        "Vrijwilligers begeleiden een huishouden een jaar lang. Coordinatie door het welzijnswerk.",
        "",
    ),
    (
        "Werkgeversdag",
        "GM0160",
        ["labour-market"],
        TargetGroup.STATUS_HOLDERS,
        "Werkgevers weten niet hoe zij statushouders bereiken.",
        "Gesprekken met tolken aan tafel; uitleg over jobcoaching en loonkostensubsidie.",
        "Vijftien vervolggesprekken.",
    ),
    (
        "Flexwonen in leegstaande panden",
        "GM0150",
        ["housing"],
        TargetGroup.ALL,
        "Nieuwbouw duurt jaren.",
        "Een kantoorpand omgebouwd tot woningen voor statushouders, starters en spoedzoekers.",
        "Gemengde bewoning werkt.",
    ),
    (
        "Kleinschalige AMV-opvang",
        "GM0177",
        ["reception", "care"],
        TargetGroup.UNACCOMPANIED_MINORS,
        "Jongeren wachten lang in grote locaties.",
        "Acht jongeren wonen samen, met voogdij door Nidos.",
        "Naïeve verwachtingen over zelfstandigheid zijn bijgesteld.",
    ),
    (
        "Gastgezinnen Oekraïense ontheemden",
        "GM1708",
        ["reception", "housing"],
        TargetGroup.DISPLACED_UKRAINIANS,
        "Gastgezinnen liepen tegen hun grenzen aan.",
        "Een vast team steunt gastgezinnen.",
        "Ontheemden uit OEKRAÏNE huren later zelf een woning.",
    ),
    (
        "Geldzaken in eigen taal",
        "GM0148",
        ["finance"],
        TargetGroup.STATUS_HOLDERS,
        "Schulden ontstaan door onbekende regels.",
        "Cursus van 2.5 uur per week; vragen via info@voorbeeld.nl of op de café-avond.",
        "Minder aanmeldingen bij de schuldhulp.",
    ),
]


# The municipalities the tests use, by CBS code; the full data set (``dataset``) is only needed by the demo.
MUNICIPALITIES = {
    "GM0148": "Dalfsen",
    "GM0150": "Deventer",
    "GM0160": "Hardenberg",
    "GM0166": "Kampen",
    "GM0177": "Raalte",
    "GM0193": "Zwolle",
    "GM1708": "Steenwijkerland",
}


@pytest.fixture
def areas(db):
    region = Area.objects.create(code="VR04", name="IJsselland", kind=Area.Kind.REGION)
    for code, name in MUNICIPALITIES.items():
        Area.objects.create(code=code, name=name, kind=Area.Kind.MUNICIPALITY, parent=region)


@pytest.fixture
def add(areas, user):
    """Publish a practice through the service: add("Title", "GM0193", ["care"], approach="...")."""

    def add(title, code="GM0193", themes=(), **fields):
        data = {
            "title": title,
            "problem": f"Het probleem van {title}.",
            "approach": f"De aanpak van {title}.",
            "results": "",
            "contact": "Voorbeeld, adviseur, contact@example.org",
            "target_group": TargetGroup.STATUS_HOLDERS,
            "municipality": Area.objects.get(code=code),
            **fields,
        }
        return save_practice(data, list(Theme.objects.filter(slug__in=themes)), user)

    return add


@pytest.fixture
def test_set(add):
    """The eight practices of TEST_SET, by title."""
    return {
        title: add(
            title,
            code,
            themes,
            target_group=group,
            problem=problem,
            approach=approach,
            results=results,
        )
        for title, code, themes, group, problem, approach, results in TEST_SET
    }


@pytest.fixture
def media(settings, tmp_path):
    """Attachments go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
