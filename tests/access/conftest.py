"""A small world for access tests: two municipalities, two partners, and objects of each.

Raalte (GM0177) is the municipality user's own; Kampen (GM0166) is another municipality. Partner A is the
partner user's own organisation; partner B is another. ``World.own(kind, role)`` gives the object that is the
role's own, ``World.other(kind)`` one that belongs to neither.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.utils import timezone

from regietafel.access.models import Membership, Role
from regietafel.accounts import services as access_services
from regietafel.conditions.models import Condition
from regietafel.core.models import Theme
from regietafel.core.sources import cite
from regietafel.distribution import services as distribution
from regietafel.housing.models import Agreement, HousingRealisation, NationalTarget
from regietafel.imports.models import ImportBatch
from regietafel.matching.models import Dwelling, MatchRun, Proposal
from regietafel.meetings.models import (
    Action,
    AgendaItem,
    Body,
    BodyMember,
    Decision,
    Document,
    Forum,
    Meeting,
    Referral,
    Signal,
)
from regietafel.notifications.models import Kind, Mode, Notification
from regietafel.organisations.models import Contact, Organisation
from regietafel.persons.models import Household
from regietafel.practices.models import Attachment, Practice
from regietafel.reception.models import Location, ReceptionTask
from regietafel.regions.models import Area, Place, PopulationFigure
from regietafel.reports.models import ReportJob

ROLES = ("anonymous", "none", "beheerder", "gemeente", "bestuurder", "partner", "provincie")
LETTERS = {"A": "beheerder", "M": "gemeente", "E": "bestuurder", "P": "partner", "V": "provincie"}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)  # kind -> {"gemeente": obj, "partner": obj, "other": obj}

    def own(self, kind: str, role: str):
        found = self.objects[kind]
        return found.get(role, found.get("gemeente", found.get("partner")))

    def other(self, kind: str):
        return self.objects[kind]["other"]

    def client(self, role: str) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


def _user(username: str, role: str | None, organisation=None):
    user = get_user_model().objects.create_user(username)  # signed in with force_login: no password needed
    if role is not None:
        Membership.objects.create(user=user, role=role, organisation=organisation)
    return user


@pytest.fixture
def world(dataset, settings, tmp_path, snapshots):
    settings.MEDIA_ROOT = tmp_path
    return snapshots.load("access world", build_world)


def build_world() -> World:
    raalte_area = Area.objects.get(code="GM0177")
    kampen_area = Area.objects.get(code="GM0166")
    raalte = Organisation.objects.create(
        name="Gemeente Raalte", kind="municipality", municipality=raalte_area
    )
    kampen = Organisation.objects.create(
        name="Gemeente Kampen", kind="municipality", municipality=kampen_area
    )
    team = Organisation.objects.create(name="Programmateam", kind="program_team")
    partner_a = Organisation.objects.create(name="Partner A", kind="civil_society")
    partner_b = Organisation.objects.create(name="Partner B", kind="civil_society")
    overijssel = Organisation.objects.create(
        name="Provincie Overijssel", kind="province", municipality=Area.objects.get(code="PV23")
    )

    world = World()
    world.users = {
        "none": _user("wachtend", Role.NONE),
        "beheerder": _user("beheerder", Role.ADMIN, team),
        "gemeente": _user("raalte", Role.MUNICIPALITY, raalte),
        "bestuurder": _user("bestuurder", Role.EXECUTIVE, team),
        "partner": _user("partner-a", Role.PARTNER, partner_a),
        "provincie": _user("overijssel", Role.PROVINCE, overijssel),
    }
    kampen_user = _user("kampen", Role.MUNICIPALITY, kampen)
    partner_b_user = _user("partner-b", Role.PARTNER, partner_b)

    def household(area):
        return Household.objects.create(municipality=area, linked_on=datetime.date(2026, 9, 1), adults=1)

    region = Area.objects.get(code="VR04")
    body = Body.objects.create(name="Regietafel", kind="steering_table", region=region)
    meeting = Meeting.objects.create(
        body=body, title="Regietafel", starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Huisvesting")
    decision = Decision.objects.create(agenda_item=item, text="Besluit")
    document = Document.objects.create(
        agenda_item=item, name="stuk.pdf", file=ContentFile(b"%PDF-1.4", "stuk.pdf")
    )
    # A working group a partner sits in: the partner sees it, its meetings, their agenda, documents and decisions.
    partner_body = Body.objects.create(name="Werkgroep opvang", kind="working_group", region=region)
    partner_member = BodyMember.objects.create(body=partner_body, name="A. Partner", organisation=partner_a)
    partner_meeting = Meeting.objects.create(
        body=partner_body, title="Werkgroep opvang", starts_at=timezone.now() + datetime.timedelta(days=14)
    )
    partner_item = AgendaItem.objects.create(meeting=partner_meeting, position=1, title="Opvang")
    partner_decision = Decision.objects.create(agenda_item=partner_item, text="Besluit werkgroep")
    partner_document = Document.objects.create(
        agenda_item=partner_item, name="notitie.pdf", file=ContentFile(b"%PDF-1.4", "notitie.pdf")
    )
    deadline = datetime.date(2026, 12, 31)

    def action(org):
        return Action.objects.create(
            decision=decision, title=f"Actie {org}", deadline=deadline, owner_organisation=org
        )

    def referral(org):
        forum = Forum.objects.create(name=f"Overleg {org}", kind="regional", organisation=org)
        return Referral.objects.create(
            forum=forum, title="Vraag", question="?", sent_on=datetime.date(2026, 11, 1)
        )

    def signal(org):
        return Signal.objects.create(
            title=f"Signaal {org}",
            description="Noodklok",
            raised_by=org,
            raised_on=datetime.date(2026, 11, 2),
            group=Signal.Group.MINORS,
        )

    def practice(org, area):
        practice = Practice.objects.create(
            title=f"Werkwijze {org}",
            problem="p",
            approach="a",
            contact="c",
            target_group="status_holders",
            municipality=area,
            organisation=org,
        )
        Attachment.objects.create(practice=practice, name="plan", file=ContentFile(b"plan", "plan.txt"))
        return practice

    def batch(user):
        return ImportBatch.objects.create(kind="realisation", filename="r.csv", content=b"x", created_by=user)

    def job(user):
        return ReportJob.objects.create(
            kind=ReportJob.Kind.MONITOR,
            region=region,
            reference_date=deadline,
            status=ReportJob.Status.DONE,
            total=1,
            done=1,
            filename="monitor.pdf",
            content_type="application/pdf",
            content=b"%PDF-1.4",
            created_by=user,
        )

    def dwelling(area, code):
        return Dwelling.objects.create(
            code=code,
            municipality=area,
            place=Place.objects.filter(municipality=area).first(),
            rooms=2,
            max_occupancy=4,
            rent="600.00",
            available_on=deadline,
            owner="Corporatie",
            source=cite("test", "H"),
        )

    def proposal(own_household, code):
        area = own_household.municipality
        run = MatchRun.objects.create(region=region, municipality=area, available_before=deadline)
        return Proposal.objects.create(run=run, household=own_household, dwelling=dwelling(area, code))

    def realisation(area):
        return HousingRealisation.objects.create(
            municipality=area, month=datetime.date(2025, 3, 1), housed=3, source=cite("COA", "H")
        )

    def location(area):
        return Location.objects.create(
            municipality=area,
            name=f"azc {area.name}",
            kind=Location.Kind.AZC,
            capacity=100,
            source=cite("COA", "H"),
        )

    def token(organisation, role):
        request = RequestFactory().post("/toegang/api-tokens/")
        request.user = world.users["beheerder"]
        return access_services.issue_token(
            request, name=f"Dashboard {organisation}", organisation=organisation, role=role, can_write=False
        )[0]

    def notification(user, area):
        return Notification.objects.create(
            user=user,
            kind=Kind.FIGURES_DUE,
            key=f"area:{area.pk}:figures:test",
            subject=f"Cijfers {area.name}",
            body="Aanleveren.",
            url="/import/",
            target_type=ContentType.objects.get_for_model(area),
            target_id=area.pk,
            mode=Mode.IMMEDIATE,
        )

    households = {"gemeente": household(raalte_area), "other": household(kampen_area)}
    member = BodyMember.objects.create(
        body=body, name="W. Voorzitter", role=BodyMember.Role.CHAIR, organisation=raalte, portfolio="Asiel"
    )
    forum = Forum.objects.create(name="BO Wonen", kind=Forum.Kind.REGIONAL_CONSULTATION, answer_days=42)
    theme = Theme.objects.first()
    condition = Condition.objects.create(region=region, theme=theme, title="Financiering", what_we_ask="Geld")
    key = distribution.save_key(
        None,
        name="Bevolking",
        description="",
        population_date=datetime.date(2024, 1, 1),
        amv_share=Decimal("0.085"),
        count_realised=True,
        source="",
    )
    scenario = distribution.create_scenario(
        name="IJsselland 100",
        area=region,
        programme="asylum",
        cycle=1,
        total=100,
        total_source="test",
        method="hamilton",
        key=key,
        realised_on=datetime.date(2024, 1, 1),
    )
    world.objects = {
        "household": households,
        "body": {"gemeente": body, "partner": partner_body, "other": body},
        "member": {"gemeente": member, "partner": partner_member, "other": member},
        "forum": {"gemeente": forum, "other": forum},
        "meeting": {"gemeente": meeting, "partner": partner_meeting, "other": meeting},
        "item": {"gemeente": item, "partner": partner_item, "other": item},
        "decision": {"gemeente": decision, "partner": partner_decision, "other": decision},
        "document": {"gemeente": document, "partner": partner_document, "other": document},
        "action": {"gemeente": action(raalte), "partner": action(partner_a), "other": action(kampen)},
        "referral": {
            "gemeente": referral(raalte),
            "partner": referral(partner_a),
            "other": referral(partner_b),
        },
        "signal": {
            "gemeente": signal(raalte),
            "partner": signal(partner_a),
            "other": signal(partner_b),
        },
        "condition": {"gemeente": condition, "other": condition},
        "key": {"gemeente": key, "other": key},
        "scenario": {"gemeente": scenario, "other": scenario},
        "organisation": {"gemeente": raalte, "partner": partner_a, "other": kampen},
        "contact": {
            "gemeente": Contact.objects.create(organisation=raalte, name="R. Contact"),
            "partner": Contact.objects.create(organisation=partner_a, name="A. Contact"),
            "other": Contact.objects.create(organisation=kampen, name="K. Contact"),
        },
        "practice": {
            "gemeente": practice(raalte, raalte_area),
            "partner": practice(partner_a, raalte_area),
            "other": practice(kampen, kampen_area),
        },
        "batch": {"gemeente": batch(world.users["gemeente"]), "other": batch(kampen_user)},
        "user": {"gemeente": world.users["none"], "other": partner_b_user},
        "area": {"gemeente": raalte_area, "other": kampen_area},
        "dwelling": {"gemeente": dwelling(raalte_area, "R-1"), "other": dwelling(kampen_area, "K-1")},
        "proposal": {
            "gemeente": proposal(households["gemeente"], "R-2"),
            "other": proposal(households["other"], "K-2"),
        },
        "job": {**{role: job(world.users[role]) for role in LETTERS.values()}, "other": job(kampen_user)},
        "population": {
            "gemeente": PopulationFigure.objects.filter(area=raalte_area).first(),
            "other": PopulationFigure.objects.filter(area=kampen_area).first(),
        },
        "half_year": {"gemeente": NationalTarget.objects.first(), "other": NationalTarget.objects.last()},
        "realisation": {"gemeente": realisation(raalte_area), "other": realisation(kampen_area)},
        "reception_task": {
            "gemeente": ReceptionTask.objects.filter(area=raalte_area).first(),
            "other": ReceptionTask.objects.filter(area=kampen_area).first(),
        },
        "location": {"gemeente": location(raalte_area), "other": location(kampen_area)},
        "agreement": {
            "gemeente": Agreement.objects.create(
                region=region, half_year="2024-H1", agreed_on=datetime.date(2024, 2, 1), source="Regietafel"
            ),
            "other": Agreement.objects.create(
                region=region, half_year="2024-H2", agreed_on=datetime.date(2024, 8, 1), source="Regietafel"
            ),
        },
        "token": {"gemeente": token(raalte, Role.MUNICIPALITY), "other": token(kampen, Role.MUNICIPALITY)},
        "notification": {
            **{role: notification(world.users[role], raalte_area) for role in LETTERS.values()},
            "other": notification(kampen_user, kampen_area),
        },
    }
    return world
