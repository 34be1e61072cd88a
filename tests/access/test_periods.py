"""Locked half-years and imports by a municipality: only its own rows, never a locked half-year's."""

import html

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regietafel.domain.targets import HalfYear
from regietafel.housing import periods
from regietafel.housing.models import HousingRealisation, PeriodEvent, PeriodLock
from regietafel.imports.models import ImportBatch
from tests.support import REALISATION_HEADER, csv_bytes


def _file(*rows):
    return SimpleUploadedFile("realisatie.csv", csv_bytes(REALISATION_HEADER, rows), content_type="text/csv")


def _row(code, month="2026-03", housed=4):
    return [code, month, housed, 0, "2026-04-01", "COA maandrapportage", "H"]


def imported():
    """The realisation rows these tests import (the world holds some of its own, of 2025)."""
    return HousingRealisation.objects.filter(month__year=2026)


def _upload(client, *rows):
    client.post(reverse("imports:upload", args=["realisation"]), {"file": _file(*rows)})
    batch = ImportBatch.objects.order_by("-pk").first()
    preview = client.get(reverse("imports:preview", args=["realisation", batch.pk]))
    return batch, preview


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_municipality_imports_only_its_own_rows(world):
    client = world.client("gemeente")
    batch, preview = _upload(client, _row("GM0177"), _row("GM0166"))
    assert batch.status == ImportBatch.Status.REJECTED
    assert "Row 3, field 'municipality_code': You may only import figures of your own municipality." in _text(
        preview
    )
    assert imported().count() == 0

    batch, preview = _upload(client, _row("GM0177"))
    assert batch.status == ImportBatch.Status.STAGED
    confirm = client.post(
        reverse("imports:preview", args=["realisation", batch.pk]),
        {"fingerprint": preview.context["validation"].fingerprint()},
    )
    assert confirm.status_code == 302
    assert imported().get().municipality.code == "GM0177"


def test_a_locked_half_year_refuses_a_municipality(world):
    periods.lock(world.users["beheerder"], HalfYear(2026, 1))
    batch, preview = _upload(world.client("gemeente"), _row("GM0177", "2026-03"), _row("GM0177", "2026-07"))
    assert batch.status == ImportBatch.Status.REJECTED
    assert "Row 2: 2026-H1 is locked: its figures were validated and can no longer change." in _text(preview)
    assert imported().count() == 0


def test_a_beheerder_changes_a_locked_half_year_only_with_a_reason_which_is_kept(world):
    periods.lock(world.users["beheerder"], HalfYear(2026, 1))
    client = world.client("beheerder")
    batch, preview = _upload(client, _row("GM0166", "2026-03"))
    assert batch.status == ImportBatch.Status.STAGED
    assert "changes figures of a locked half-year (2026-H1)" in _text(preview)
    assert 'name="reason"' in _text(preview)
    fingerprint = preview.context["validation"].fingerprint()

    url = reverse("imports:preview", args=["realisation", batch.pk])
    refused = client.post(url, {"fingerprint": fingerprint, "reason": ""}, follow=True)
    assert "give a reason to change its figures" in _text(refused)
    assert imported().count() == 0

    client.post(url, {"fingerprint": fingerprint, "reason": "Correctie COA-rapportage maart"})
    assert imported().count() == 1
    event = PeriodEvent.objects.get(kind=PeriodEvent.Kind.OVERRIDE)
    assert (event.half_year, event.reason, event.by) == (
        "2026-H1",
        "Correctie COA-rapportage maart",
        world.users["beheerder"],
    )


def test_the_periods_page_locks_and_unlocks_with_a_reason(world):
    client = world.client("beheerder")
    client.post(reverse("monitor:periods"), {"half_year": "2026-H1", "lock": "1", "reason": ""})
    assert PeriodLock.objects.filter(half_year="2026-H1").exists()
    response = client.post(
        reverse("monitor:periods"), {"half_year": "2026-H1", "unlock": "1", "reason": ""}, follow=True
    )
    assert "Say why the half-year is unlocked." in _text(response)
    assert PeriodLock.objects.filter(half_year="2026-H1").exists()
    client.post(reverse("monitor:periods"), {"half_year": "2026-H1", "unlock": "1", "reason": "Herziening"})
    assert not PeriodLock.objects.exists()
    assert list(PeriodEvent.objects.order_by("id").values_list("kind", flat=True)) == ["lock", "unlock"]


def test_an_agreement_of_a_locked_half_year_is_not_removed_without_a_reason(world):
    from regietafel.housing.services import delete_agreement
    from regietafel.regions.models import Area

    periods.lock(world.users["beheerder"], HalfYear(2026, 1))
    region = Area.objects.get(code="VR04")
    for user in (world.users["gemeente"], world.users["beheerder"]):
        try:
            delete_agreement(region, HalfYear(2026, 1), 1, user, "")
        except periods.PeriodLocked:
            pass
        else:
            raise AssertionError("a locked half-year's agreement was removed")
    assert not PeriodEvent.objects.filter(kind=PeriodEvent.Kind.OVERRIDE).exists()
