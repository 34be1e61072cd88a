"""Agreed targets (Huisvestingswet 2014 art. 29 lid 2): the service and the /afspraken/<half_year>/ page."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.translation import override

from regietafel.access.models import Membership, Role
from regietafel.core.versioning import StaleEdit
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import AgreedTarget, Agreement
from regietafel.housing.services import AgreementError, delete_agreement, save_agreement
from regietafel.regions.models import Area

H2025_2 = HalfYear(2025, 2)
URL = "/afspraken/2025-H2/"
# Statutory targets 2025-H2 (13000 over the population of 1 January 2024); the region adds up to 400.
STATUTORY = {
    "GM0148": 22,
    "GM0150": 75,
    "GM0160": 46,
    "GM0166": 41,
    "GM1773": 14,
    "GM0175": 14,
    "GM0177": 28,
    "GM0180": 13,
    "GM1708": 33,
    "GM1896": 17,
    "GM0193": 97,
}
# Raalte takes 2 off Zwolle's target.
SHIFTED = {**STATUTORY, "GM0177": 30, "GM0193": 95}


@pytest.fixture
def region(dataset):
    return Area.objects.get(code="VR04")


def save(region, targets, version=None, user=None, source="Besluit regietafel 14 juli 2025"):
    return save_agreement(
        region,
        H2025_2,
        targets,
        agreed_on=datetime.date(2025, 7, 14),
        source=source,
        note="",
        version=version,
        user=user,
    )


def agreed_targets(region) -> dict[str, int]:
    return dict(
        AgreedTarget.objects.filter(agreement__region=region, agreement__half_year="2025-H2").values_list(
            "municipality__code", "target"
        )
    )


def form_data(targets, version="", source="Besluit regietafel 14 juli 2025") -> dict:
    data = {"agreed_on": "2025-07-14", "source": source, "note": "", "version": version, "save": ""}
    data.update({f"target_{code}": value for code, value in targets.items()})
    return data


def test_statutory_targets_are_as_expected(region):
    ledger = HousingLedger(region)
    assert {m.code: ledger.statutory(m, H2025_2)[0].value for m in ledger.municipalities} == STATUTORY


# Service -------------------------------------------------------------------------------------------


def test_shifting_targets_keeps_the_statutory_ones_and_sets_the_agreed_ones(region, user):
    agreement = save(region, SHIFTED, user=user)

    assert agreement.version == 1
    assert agreement.updated_by == user
    assert agreed_targets(region) == SHIFTED
    ledger = HousingLedger(region)
    raalte = Area.objects.get(code="GM0177")
    assert ledger.statutory(raalte, H2025_2)[0].value == 28
    assert ledger.agreed(raalte, H2025_2).value == 30
    assert ledger.target(raalte, H2025_2).value == 30
    assert {ref.source for ref in ledger.agreed(raalte, H2025_2).refs} == {"Besluit regietafel 14 juli 2025"}
    assert ledger.row(raalte, H2025_2).target.value == 30
    # Another half-year keeps its statutory target.
    assert ledger.target(raalte, HalfYear(2025, 1)).value == 33


def test_a_set_that_changes_the_region_total_is_refused_with_both_totals(region, user):
    targets = {**STATUTORY, "GM0177": 30}  # 402 instead of 400

    with override("en"), pytest.raises(AgreementError) as error:
        save(region, targets, user=user)

    message = str(error.value)
    assert "402" in message
    assert "400" in message
    assert not isinstance(error.value, StaleEdit)
    assert Agreement.objects.count() == 0
    assert AgreedTarget.objects.count() == 0


def test_a_refused_change_keeps_the_existing_agreement(region, user):
    save(region, SHIFTED, user=user)

    with pytest.raises(AgreementError):
        save(region, {**SHIFTED, "GM0150": 80}, version=1, user=user)

    assert Agreement.objects.get().version == 1
    assert agreed_targets(region) == SHIFTED


@pytest.mark.parametrize(
    "targets",
    [
        {code: value for code, value in SHIFTED.items() if code != "GM0148"},  # a municipality missing
        {**SHIFTED, "GM0153": 0},  # Enschede is not in IJsselland
        {**STATUTORY, "GM0177": -2, "GM0193": 99},  # negative
    ],
    ids=["missing", "outside-region", "negative"],
)
def test_incomplete_or_negative_sets_are_refused(region, user, targets):
    with pytest.raises(AgreementError):
        save(region, targets, user=user)
    assert Agreement.objects.count() == 0


def test_a_stale_version_is_refused_and_the_first_save_is_kept(region, user):
    save(region, SHIFTED, user=user)  # version 1
    # Two editors open version 1. The first saves:
    first = {**STATUTORY, "GM0148": 24, "GM0150": 73}
    saved = save(region, first, version=1, user=user, source="Eerste redacteur")
    assert saved.version == 2

    # The second posts what they saw, version 1:
    second = {**STATUTORY, "GM0160": 50, "GM0166": 37}
    with pytest.raises(StaleEdit):
        save(region, second, version=1, user=user, source="Tweede redacteur")

    agreement = Agreement.objects.get()
    assert agreement.version == 2
    assert agreement.source == "Eerste redacteur"
    assert agreed_targets(region) == first


def test_two_editors_creating_the_same_agreement(region, user):
    save(region, SHIFTED, version=None, user=user, source="Eerste redacteur")
    with pytest.raises(StaleEdit):
        save(region, STATUTORY, version=None, user=user, source="Tweede redacteur")
    assert Agreement.objects.get().source == "Eerste redacteur"
    assert agreed_targets(region) == SHIFTED


def test_saving_with_a_version_for_a_deleted_agreement_is_stale(region, user):
    with pytest.raises(StaleEdit):
        save(region, SHIFTED, version=3, user=user)
    assert Agreement.objects.count() == 0


def test_delete_needs_the_current_version(region, user):
    save(region, SHIFTED, user=user)
    with pytest.raises(StaleEdit):
        delete_agreement(region, H2025_2, version=2)
    assert Agreement.objects.count() == 1
    delete_agreement(region, H2025_2, version=1)
    assert Agreement.objects.count() == 0
    assert AgreedTarget.objects.count() == 0


def test_no_agreement_without_statutory_targets(region, user):
    with pytest.raises(AgreementError):
        save_agreement(
            region,
            HalfYear(2030, 1),
            STATUTORY,
            agreed_on=datetime.date(2030, 1, 1),
            source="x",
            note="",
            version=None,
            user=user,
        )
    assert Agreement.objects.count() == 0


# The page ------------------------------------------------------------------------------------------


def test_the_form_starts_from_the_statutory_targets(region, client_en):
    response = client_en.get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert {code: form.initial[f"target_{code}"] for code in STATUTORY} == STATUTORY
    assert form.initial.get("version") is None
    assert response.context["statutory_total"].value == 400
    content = response.content.decode()
    for code in STATUTORY:
        assert f'name="target_{code}"' in content


def test_saving_a_shift_on_the_page_shows_the_agreed_target_on_the_overview(region, client_en, user):
    response = client_en.post(URL, form_data(SHIFTED))

    assert response.status_code == 302
    assert response["Location"] == "/?regio=VR04&halfjaar=2025-H2"
    agreement = Agreement.objects.get()
    assert (agreement.version, agreement.updated_by) == (1, user)
    assert agreed_targets(region) == SHIFTED

    overview = client_en.get(response["Location"])
    table = overview.context["table"]
    raalte = table.row_for(Area.objects.get(code="GM0177"))
    zwolle = table.row_for(Area.objects.get(code="GM0193"))
    assert (raalte.cells["statutory"].value, raalte.cells["agreed"].value) == (28, 30)
    assert (zwolle.cells["statutory"].value, zwolle.cells["agreed"].value) == (97, 95)
    assert table.total.cells["agreed"].value == 400
    assert overview.context["agreement"] == agreement
    assert "/gemeente/GM0177/" in overview.content.decode()


def test_the_page_refuses_a_set_with_another_total_and_saves_nothing(region, client_en):
    response = client_en.post(URL, form_data({**STATUTORY, "GM0177": 30}))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "402" in errors
    assert "400" in errors
    assert "402" in response.content.decode()
    assert Agreement.objects.count() == 0


def test_the_page_refuses_a_negative_target(region, client_en):
    response = client_en.post(URL, form_data({**STATUTORY, "GM0177": -1, "GM0193": 98}))
    assert response.status_code == 200
    assert response.context["form"].errors["target_GM0177"]
    assert Agreement.objects.count() == 0


def test_two_editors_on_the_page_the_second_is_refused(region, client_en, user):
    save(region, SHIFTED, user=user)
    other_user = get_user_model().objects.create_user("tweede", password="another-long-password-2")
    Membership.objects.create(user=other_user, role=Role.ADMIN)
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(other_user)

    # Both open the form at version 1.
    assert client_en.get(URL).context["form"].initial["version"] == 1
    assert other.get(URL).context["form"].initial["version"] == 1

    first = {**STATUTORY, "GM0148": 24, "GM0150": 73}
    saved = client_en.post(URL, form_data(first, version=1, source="Eerste redacteur"))
    assert saved.status_code == 302

    second = {**STATUTORY, "GM0160": 50, "GM0166": 37}
    refused = other.post(URL, form_data(second, version=1, source="Tweede redacteur"))

    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()
    agreement = Agreement.objects.get()
    assert (agreement.version, agreement.source, agreement.updated_by) == (2, "Eerste redacteur", user)
    assert agreed_targets(region) == first


def test_removing_the_agreement_on_the_page(region, client_en, user):
    save(region, SHIFTED, user=user)

    stale = client_en.post(URL, {"delete": "", "version": "7"})
    assert stale.status_code == 302
    assert Agreement.objects.count() == 1

    removed = client_en.post(URL, {"delete": "", "version": "1"})
    assert removed.status_code == 302
    assert Agreement.objects.count() == 0
    overview = client_en.get(removed["Location"])
    raalte = overview.context["table"].row_for(Area.objects.get(code="GM0177"))
    assert not raalte.cells["agreed"].known


def test_an_invalid_half_year_in_the_url_is_not_found(region, client_en):
    assert client_en.get("/afspraken/2025-H3/").status_code == 404


def test_the_agreement_page_requires_login(region, client):
    response = client.post(URL, form_data(SHIFTED))
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
    assert Agreement.objects.count() == 0
