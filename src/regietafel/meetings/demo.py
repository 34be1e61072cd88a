"""A labelled demo meeting cycle built on the seed letter: the RRVIJ meeting of 14 July 2023, then a meeting a
month before the day the demo is loaded and the next one three weeks after it.

The July 2023 meeting and its conclusions are in the council letter of Raalte; the wording of the agenda, the
decisions, actions and the referral here are reconstructions, so everything is stored as demo data. The recent
meeting's actions fall due in the coming weeks, so the action list tells a current story. The bodies and forums
are the real consultations the table works with.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from regietafel.meetings.models import Action, AgendaItem, Body, Decision, Forum, Meeting, Referral
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

TZ = ZoneInfo("Europe/Amsterdam")
STEERING_TABLE = "Regionale Regietafel Vluchtelingen IJsselland (RRVIJ)"
FORUMS = [
    ("BO Wonen", Forum.Kind.REGIONAL_CONSULTATION, "wonen"),
    ("Regionaal overleg veiligheid", Forum.Kind.REGIONAL_CONSULTATION, "veiligheid"),
    ("Regionaal overleg arbeidsmarkt", Forum.Kind.REGIONAL_CONSULTATION, "arbeidsmarkt"),
    ("Regionaal overleg zorg en Wmo", Forum.Kind.REGIONAL_CONSULTATION, "zorg/Wmo"),
    ("Regionaal overleg onderwijs", Forum.Kind.REGIONAL_CONSULTATION, "onderwijs"),
    ("VNG-commissie Asiel & Migratie", Forum.Kind.VNG_COMMITTEE, ""),
    ("Provinciale regietafel Overijssel", Forum.Kind.PROVINCIAL_TABLE, ""),
    ("Landelijke Regietafel", Forum.Kind.NATIONAL_TABLE, ""),
]


def ensure_bodies_and_forums(region_code: str = "VR04") -> Body:
    region = Area.objects.filter(code=region_code).first()
    body, _ = Body.objects.get_or_create(
        name=STEERING_TABLE, defaults={"kind": Body.Kind.STEERING_TABLE, "region": region}
    )
    for name, kind, theme in FORUMS:
        Forum.objects.get_or_create(name=name, defaults={"kind": kind, "theme": theme})
    # A question can also go back to one municipality.
    for organisation in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY):
        Forum.objects.get_or_create(
            name=organisation.name, defaults={"kind": Forum.Kind.MUNICIPALITY, "organisation": organisation}
        )
    return body


def _at(year, month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


def remove_demo() -> int:
    removed = 0
    for model in (Referral, Action, Meeting):
        removed += model.objects.filter(is_demo=True).delete()[0]
    return removed


@transaction.atomic
def load_demo(region_code: str = "VR04", today: datetime.date | None = None) -> dict[str, int]:
    remove_demo()
    today = today or timezone.localdate()
    body = ensure_bodies_and_forums(region_code)
    raalte = Organisation.objects.filter(municipality__code="GM0177").first()
    team = Organisation.objects.filter(kind=Organisation.Kind.PROGRAM_TEAM).first()

    july = Meeting.objects.create(
        body=body,
        title="RRVIJ 14 juli 2023",
        starts_at=_at(2023, 7, 14),
        ends_at=_at(2023, 7, 14, 12),
        place="Veiligheidsregio IJsselland, Zwolle",
        participants="Voorzitter: waarnemend burgemeester Olst-Wijhe\nBestuurders van de 11 gemeenten\n"
        "Provincie Overijssel (ambtelijk)\nVNG-commissie Asiel & Migratie (provinciaal vertegenwoordiger)",
        minutes="Voorbeeldverslag, gereconstrueerd uit de raadsinformatiebrief van Raalte.",
        held_at=_at(2023, 7, 14, 12),
        is_demo=True,
    )
    items = [
        (
            "Stand van de opgaven",
            "IJsselland ligt goed op schema met opvangplekken voor ontheemden uit Oekraïne en asielopvangplekken. "
            "De meeste gemeenten lopen achter op de huisvesting van statushouders.",
        ),
        ("Alleenreizende minderjarigen", "Noodoproep van Nidos en COA: te weinig opvang voor AMV."),
        (
            "Derdelanders",
            "Per 4 september geen recht meer op opvang en leefgeld; richtlijn van het Rijk volgt.",
        ),
        ("Bestuursovereenkomst Overijssel", "Een akkoord en een 'nog niet akkoord' met randvoorwaarden."),
    ]
    created = [
        AgendaItem.objects.create(meeting=july, position=i, title=title, description=text)
        for i, (title, text) in enumerate(items, start=1)
    ]
    decision = Decision.objects.create(
        agenda_item=created[0],
        text="De regietafel kijkt voortaan ook naar de kwaliteit van de opvang, niet alleen naar de aantallen. "
        "Huisvesting van statushouders gaat naar het bestuurlijk overleg Wonen.",
    )
    actions = [
        Action(
            decision=decision,
            title="Kwaliteitscriteria voor opvang voorstellen",
            owner_organisation=team,
            deadline=datetime.date(2023, 9, 29),
            status=Action.Status.DONE,
            is_demo=True,
        ),
        Action(
            decision=decision,
            title="Afspraken met Sallandwonen over passende woningen verkennen",
            owner_organisation=raalte or team,
            deadline=datetime.date(2023, 10, 31),
            status=Action.Status.DONE,
            is_demo=True,
        ),
    ]
    Action.objects.bulk_create(actions)
    Referral.objects.create(
        origin=created[0],
        forum=Forum.objects.get(name="BO Wonen"),
        title="Huisvesting statushouders in de woningnood",
        question="Hoe kunnen corporaties en gemeenten samen de achterstand op de taakstelling inlopen?",
        sent_on=datetime.date(2023, 7, 17),
        is_demo=True,
    )
    recent = _meeting_day(today - datetime.timedelta(days=28))
    held = Meeting.objects.create(
        body=body,
        title=f"RRVIJ {_long(recent)}",
        starts_at=_at(recent.year, recent.month, recent.day),
        ends_at=_at(recent.year, recent.month, recent.day, 12),
        place="Veiligheidsregio IJsselland, Zwolle",
        participants="Bestuurders van de 11 gemeenten\nProvincie Overijssel (ambtelijk)\nCOA (regiomanager)",
        minutes="Demoverslag.",
        held_at=_at(recent.year, recent.month, recent.day, 12),
        is_demo=True,
    )
    item = AgendaItem.objects.create(
        meeting=held,
        position=1,
        title="Stand huisvesting statushouders",
        description="De regio loopt achter op de taakstelling van dit halfjaar; extra woningen via flexwonen.",
    )
    recent_decision = Decision.objects.create(
        agenda_item=item,
        text="De gemeenten die achterlopen leggen voor de volgende vergadering een inhaalplan voor.",
    )
    upcoming = [
        Action(
            decision=recent_decision,
            title="Inhaalplannen huisvesting statushouders bundelen",
            owner_organisation=team,
            deadline=today + datetime.timedelta(days=7),
            status=Action.Status.IN_PROGRESS,
            is_demo=True,
        ),
        Action(
            decision=recent_decision,
            title="Flexwoningen in beeld brengen met de corporaties",
            owner_organisation=raalte or team,
            deadline=today + datetime.timedelta(days=35),
            status=Action.Status.OPEN,
            is_demo=True,
        ),
    ]
    Action.objects.bulk_create(upcoming)
    Referral.objects.create(
        origin=item,
        forum=Forum.objects.get(name="BO Wonen"),
        title="Flexwonen voor statushouders en andere woningzoekenden",
        question="Welke locaties voor flexwoningen kunnen de corporaties dit jaar nog opleveren?",
        sent_on=recent + datetime.timedelta(days=3),
        is_demo=True,
    )
    following = _meeting_day(today + datetime.timedelta(days=21))
    Meeting.objects.create(
        body=body,
        title=f"RRVIJ {_long(following)}",
        starts_at=_at(following.year, following.month, following.day),
        ends_at=_at(following.year, following.month, following.day, 12),
        place="Veiligheidsregio IJsselland, Zwolle",
        is_demo=True,
    )
    return {
        "vergaderingen": 3,
        "agendapunten": len(created) + 1,
        "acties": len(actions) + len(upcoming),
        "doorverwijzingen": 2,
    }


def _meeting_day(day: datetime.date) -> datetime.date:
    """The table meets on Thursdays: the Thursday of the week of ``day``."""
    return day + datetime.timedelta(days=3 - day.weekday())


def _long(day: datetime.date) -> str:
    with override("nl"):
        return date_format(day, "j F Y")
