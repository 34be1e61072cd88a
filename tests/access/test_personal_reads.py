"""Every place that shows personal data logs it, or does not show it (issue 21, hole 7: the admin's record-history
pages showed a household's ages, needs and municipality, and the household form shown again after invalid input
showed its data, both without a line in the Logboek dataverwerkingen).

The class test asks every page and API read of the access matrix (for the beheerder, who sees everything, and for
a municipality), every page form posted with nothing filled in (so that it is shown again with its errors), and every
page of the admin (each model's list, and each record's page and history), and checks each answer: wherever a
household's reference, V-number or ages appear, the same request wrote a processing-log line for that household or
a record of it.
"""

import pytest
from django.urls import reverse

from regietafel.audit.models import ProcessingLog
from regietafel.audit.services import pseudonym
from regietafel.matching.models import Proposal
from regietafel.persons.models import Household, HouseholdEvent, Tie
from tests.access.test_matrix import CASES
from tests.forms import page_forms

ROLES = {"A": "beheerder", "M": "gemeente"}
AGES = "35;61"


def subjects_of(household: Household) -> set[str]:
    """The pseudonyms a log line about this household may carry: its own, or a record of it."""
    related = [
        *(("persons.Tie", pk) for pk in Tie.objects.filter(household=household).values_list("pk", flat=True)),
        *(
            ("persons.HouseholdEvent", pk)
            for pk in HouseholdEvent.objects.filter(household=household).values_list("pk", flat=True)
        ),
        *(
            ("matching.Proposal", pk)
            for pk in Proposal.objects.filter(household=household).values_list("pk", flat=True)
        ),
    ]
    return {pseudonym("persons.Household", household.pk), *(pseudonym(label, pk) for label, pk in related)}


@pytest.fixture
def households(world):
    """The world's households, each with a V-number and ages that can be recognised in any answer; one change
    each, so that the record history holds their data."""
    found = list(Household.objects.order_by("pk"))
    for number, household in enumerate(found):
        household.v_number = f"{8100000000 + number}"
        household.member_ages = f"{number + 3};{AGES}"
        household.needs_medical = True
        household.save()
    return {
        household.pk: (
            (household.reference, household.v_number, household.member_ages),
            subjects_of(household),
        )
        for household in found
    }


class Reads:
    def __init__(self, households):
        self.households = households
        self.checked = 0
        self.showing = 0

    def check(self, label: str, send) -> tuple:
        """Send one request and check its answer; the answer and its text, for what comes next."""
        last = ProcessingLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = send()
        assert response.status_code < 500, (label, response.status_code)
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        logged = set(ProcessingLog.objects.filter(pk__gt=last).values_list("subject", flat=True))
        self.checked += 1
        for markers, subjects in self.households.values():
            shown = [marker for marker in markers if marker in text]
            if shown:
                self.showing += 1
                assert logged & subjects, (
                    f"{label} shows {shown} of a household without a processing-log line"
                )
        return response, text


@pytest.fixture
def reads(households):
    return Reads(households)


READ_CASES = [case for case in CASES if case.method == "get" and not case.public and not case.machine]


@pytest.mark.parametrize("case", READ_CASES, ids=lambda case: case.name)
def test_every_page_and_api_read_that_shows_a_household_logs_it(world, reads, case):
    for letter, role in ROLES.items():
        targets = [("own", case.own)] + ([("other", case.other)] if case.other is not None else [])
        for which, allowed in targets:
            if letter not in allowed:
                continue
            obj = None
            if case.target:
                obj = world.own(case.target, role) if which == "own" else world.other(case.target)
            url = reverse(case.name, args=case.args(world, obj) if case.args else None)
            client = world.client(role)
            page, text = reads.check(f"GET {url} ({role})", lambda client=client, url=url: client.get(url))
            if case.api or page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                continue
            for target, _fields in page_forms(text, url):
                # Posted empty: a form that refuses it is shown again, with what it holds.
                reads.check(
                    f"POST {target} ({role})", lambda client=client, target=target: client.post(target, {})
                )
