"""The register as `make run` shows it: the real organisations of the table, and demo partners.

The municipalities, the program team and the province are real and named in the seed letter, so they are
stored as real records (is_demo=False) and never removed. The network partners the letter names exist too,
but what the register says about them here (contacts, themes, municipalities) is invented: those records have
is_demo=True, the UI marks them "demo", and each run replaces them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from regietafel.core.models import Theme
from regietafel.organisations.models import Contact, Organisation
from regietafel.organisations.services import ensure_municipal_organisations
from regietafel.regions.models import Area

Kind = Organisation.Kind
ALL = "all"
DEMO_DESCRIPTION = (
    "Demogegevens: de contactpersoon, thema's en gemeenten zijn verzonnen om de applicatie te tonen. "
    "Vervang ze door de echte gegevens of verwijder deze organisatie."
)


@dataclass(frozen=True)
class Partner:
    name: str
    kind: str
    themes: tuple[str, ...]
    works_in: tuple[str, ...] | str  # CBS codes, or ALL municipalities of the region
    description: str = ""
    contact: str = ""
    role: str = ""
    email: str = ""


# Real organisations of the table per region, as the seed letter (Raalte, 2023) describes them.
REGIONAL_ORGANISATIONS = {
    "VR04": [
        Partner(
            "Programmateam RRVIJ (Veiligheidsregio IJsselland)",
            Kind.PROGRAM_TEAM,
            (),
            ALL,
            "Ondersteunt de Regionale Regietafel Vluchtelingen IJsselland; gecoördineerd vanuit de "
            "Veiligheidsregio IJsselland.",
        ),
        Partner(
            "Provincie Overijssel",
            Kind.PROVINCE,
            (),
            ALL,
            "Ambtelijk vertegenwoordigd in de Regionale Regietafel Vluchtelingen IJsselland.",
        ),
    ],
}

# The network partners the seed letter names; everything but the organisation's name is invented.
DEMO_PARTNERS = [
    Partner(
        "COA",
        Kind.STATE,
        ("reception", "housing"),
        ALL,
        contact="Contactpersoon COA (demo)",
        role="Relatiebeheerder gemeenten",
        email="coa@example.org",
    ),
    Partner(
        "Nidos",
        Kind.CIVIL_SOCIETY,
        ("reception", "care", "housing"),
        ("GM0193", "GM0150", "GM0166", "GM0160"),
        contact="Contactpersoon Nidos (demo)",
        role="Regiocoördinator AMV",
        email="nidos@example.org",
    ),
    Partner(
        "IND",
        Kind.STATE,
        ("reception",),
        ("GM0193", "GM0150"),
        contact="Contactpersoon IND (demo)",
        role="Ketenpartner",
        email="ind@example.org",
    ),
    Partner(
        "VluchtelingenWerk Oost Nederland",
        Kind.CIVIL_SOCIETY,
        ("integration", "participation", "pre-integration", "labour-market"),
        ALL,
        contact="Contactpersoon VluchtelingenWerk (demo)",
        role="Teamleider maatschappelijke begeleiding",
        email="vluchtelingenwerk@example.org",
    ),
    Partner(
        "Sallandwonen",
        Kind.HOUSING_CORPORATION,
        ("housing",),
        ("GM0177",),
        contact="Contactpersoon Sallandwonen (demo)",
        role="Woonconsulent",
        email="sallandwonen@example.org",
    ),
    Partner(
        "Kerkennetwerk IJsselland",
        Kind.CHURCH,
        ("liveability", "participation"),
        ("GM0177", "GM1773", "GM0175", "GM0180", "GM0148"),
        contact="Contactpersoon kerkennetwerk (demo)",
        role="Coördinator vrijwilligers",
        email="kerken@example.org",
    ),
    Partner(
        "Werkgeversservicepunt IJsselland",
        Kind.EMPLOYER_SERVICE,
        ("labour-market", "participation"),
        ("GM0193", "GM0166", "GM0148", "GM0180", "GM1896", "GM1708"),
        contact="Contactpersoon werkgeversservicepunt (demo)",
        role="Accountmanager werkgevers",
        email="werkgeversservicepunt@example.org",
    ),
    Partner(
        "Zorgpartner IJsselland",
        Kind.CARE,
        ("care",),
        ("GM0150", "GM1773", "GM0177"),
        contact="Contactpersoon zorgpartner (demo)",
        role="Coördinator zorg statushouders",
        email="zorg@example.org",
    ),
    Partner(
        "Nieuwkomersschool IJsselland",
        Kind.EDUCATION,
        ("education",),
        ("GM0193", "GM0166", "GM0150"),
        contact="Contactpersoon nieuwkomersonderwijs (demo)",
        role="Coördinator internationale schakelklas",
        email="onderwijs@example.org",
    ),
]


def remove_demo() -> int:
    """Delete the demo partners with their contacts; returns how many demo partners were deleted."""
    _total, per_model = Organisation.objects.filter(is_demo=True).delete()
    return per_model.get(Organisation._meta.label, 0)


def _areas(partner: Partner, municipalities: dict[str, Area]) -> list[Area]:
    if partner.works_in == ALL:
        return list(municipalities.values())
    return [municipalities[code] for code in partner.works_in if code in municipalities]


@transaction.atomic
def load_demo(region_code: str | None = None) -> dict[str, int]:
    """Make sure the region's real organisations exist, and replace the demo partners by fresh ones."""
    region = Area.objects.regions().get(code=region_code or settings.REGIETAFEL_DEFAULT_REGION)
    municipal = ensure_municipal_organisations(region)
    municipalities = {area.code: area for area in Area.objects.in_region(region).order_by("name")}
    themes = {theme.slug: theme for theme in Theme.objects.all()}

    regional = 0
    for partner in REGIONAL_ORGANISATIONS.get(region.code, []):
        # Real records: created once, then left to the users who keep them up to date.
        organisation, created = Organisation.objects.get_or_create(
            name__iexact=partner.name,
            defaults={"name": partner.name, "kind": partner.kind, "description": partner.description},
        )
        if created:
            organisation.works_in.set(_areas(partner, municipalities))
            regional += 1

    remove_demo()
    taken = {name.lower() for name in Organisation.objects.values_list("name", flat=True)}
    partners = contacts = 0
    for partner in DEMO_PARTNERS:
        # A real record of the same organisation wins over its demo stand-in.
        if partner.name.lower() in taken:
            continue
        organisation = Organisation.objects.create(
            name=partner.name, kind=partner.kind, description=DEMO_DESCRIPTION, is_demo=True
        )
        organisation.themes.set(themes[slug] for slug in partner.themes if slug in themes)
        organisation.works_in.set(_areas(partner, municipalities))
        Contact.objects.create(
            organisation=organisation, name=partner.contact, role=partner.role, email=partner.email
        )
        partners += 1
        contacts += 1
    return {
        "gemeenten als organisatie (nieuw)": municipal,
        "regionale organisaties (nieuw)": regional,
        "voorbeeldpartners": partners,
        "voorbeeldcontactpersonen": contacts,
    }
