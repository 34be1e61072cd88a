"""The COA list of linked households imports like every other table, and as person-level data: own municipality
only, every household written or shown logged, the uploaded file not kept."""

import datetime
import html

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regietafel.access.models import Membership, Role
from regietafel.audit.models import Action, Channel, ProcessingLog
from regietafel.core.specs import get_spec
from regietafel.imports.models import ImportBatch
from regietafel.imports.services import Guard, ImportRejected, import_rows
from regietafel.organisations.models import Organisation
from regietafel.persons.models import Household
from regietafel.regions.models import Area
from tests.support import csv_bytes

COLUMNS = [
    "municipality_code",
    "v_number",
    "linked_on",
    "adults",
    "children",
    "member_ages",
    "is_amv",
    "nidos",
    "needs_accessible",
    "needs_medical",
    "ties",
]
FAMILY = ["GM0177", "1234567890", "2026-10-01", 2, 1, "34, 31, 6", "nee", "nee", "nee", "nee", "werk: Heino"]
MINOR = [
    "GM0177",
    "2234567890",
    "01-10-2026",
    0,
    1,
    "16",
    "ja",
    "ja",
    "nee",
    "ja",
    "studie: Zwolle; familie: Raalte",
]


def rows(*values):
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in values:
        dataset.append(row)
    return dataset


@pytest.fixture
def raalte_officer(dataset):
    raalte = Area.objects.get(code="GM0177")
    organisation = Organisation.objects.create(
        name="Gemeente Raalte", kind="municipality", municipality=raalte
    )
    user = get_user_model().objects.create_user("raalte")
    Membership.objects.create(user=user, role=Role.MUNICIPALITY, organisation=organisation)
    return user


def test_a_list_imports_as_linked_households_with_ties_and_an_export_imports_again_unchanged(raalte_officer):
    spec = get_spec("households")
    counts = import_rows(spec, rows(FAMILY, MINOR), guard=Guard(raalte_officer))
    assert counts == {"create": 2, "update": 0, "unchanged": 0}
    minor = Household.objects.get(v_number="2234567890")
    assert (minor.status, minor.is_amv, minor.nidos, minor.needs_medical, minor.size) == (
        "linked",
        True,
        True,
        True,
        1,
    )
    assert sorted((tie.kind, tie.place.name) for tie in minor.ties.all()) == [
        ("family", "Raalte"),
        ("study", "Zwolle"),
    ]
    # Every household written is in the processing log, as created, by the officer, through the import.
    lines = ProcessingLog.objects.filter(channel=Channel.IMPORT, action=Action.CREATE)
    assert sorted(lines.values_list("actor", "organisation")) == [("raalte", "Gemeente Raalte")] * 2

    exported = tablib.Dataset(headers=spec.columns)
    for record in spec.queryset():
        exported.append([spec.row(record)[column] for column in spec.columns])
    assert import_rows(spec, exported) == {"create": 0, "update": 0, "unchanged": 2}


def test_a_newer_list_updates_the_household_and_its_ties_and_raises_its_version(raalte_officer):
    spec = get_spec("households")
    import_rows(spec, rows(FAMILY), guard=Guard(raalte_officer))
    family = Household.objects.get(v_number="1234567890")
    newer = list(FAMILY)
    newer[4], newer[5], newer[10] = 2, "34, 31, 6, 0", "zorg: Deventer"
    assert import_rows(spec, rows(newer), guard=Guard(raalte_officer))["update"] == 1
    updated = Household.objects.get(pk=family.pk)
    assert updated.size == 4 and updated.version > family.version
    assert [(tie.kind, tie.place.name) for tie in updated.ties.all()] == [("care", "Deventer")]


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("v_number", "12345", "A V-number has ten digits."),
        ("member_ages", "34, 31", "Give one age per member: 3."),
        ("nidos", "ja", "Only an unaccompanied minor has Nidos as guardian."),
        ("ties", "hobby: Raalte", "Tie 1: write it as werk, studie, familie or zorg"),
        ("ties", "werk: Raalte; werk: Atlantis", "Tie 2: not a known place."),
        ("adults", "0", None),
        ("linked_on", "gisteren", "Enter a valid date."),
        ("is_amv", "misschien", "Write ja or nee."),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_written(raalte_officer, column, value, problem):
    bad = list(FAMILY)
    bad[COLUMNS.index(column)] = value
    if column == "adults":
        bad[4], bad[5], problem = 0, "", "A household has at least one member."
    with pytest.raises(ImportRejected) as rejected:
        import_rows(get_spec("households"), rows(MINOR, bad), guard=Guard(raalte_officer))
    errors = rejected.value.validation.errors
    assert [(error.row, error.field) for error in errors] == [(3, column)]
    assert problem in errors[0].message
    assert not Household.objects.exists()


def test_a_municipality_imports_only_its_own_households(raalte_officer):
    other = list(FAMILY)
    other[0] = "GM0193"  # Zwolle
    with pytest.raises(ImportRejected) as rejected:
        import_rows(get_spec("households"), rows(FAMILY, other), guard=Guard(raalte_officer))
    assert [(error.row, error.field) for error in rejected.value.validation.errors] == [
        (3, "municipality_code")
    ]
    assert not Household.objects.exists()


def _upload(client, *values):
    content = csv_bytes(COLUMNS, values)
    client.post(
        reverse("imports:upload", args=["households"]),
        {"file": SimpleUploadedFile("koppellijst.csv", content)},
    )
    return ImportBatch.objects.order_by("-pk").first()


def test_through_the_pages_the_file_is_not_kept_and_the_preview_and_export_are_logged(raalte_officer, client):
    client.force_login(raalte_officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    rejected = _upload(client, ["GM0177", "12", "2026-10-01", 1, 0, "", "nee", "nee", "nee", "nee", ""])
    assert rejected.status == ImportBatch.Status.REJECTED and bytes(rejected.content) == b""
    page = html.unescape(
        client.get(reverse("imports:preview", args=["households", rejected.pk])).content.decode()
    )
    assert "Row 2, field 'v_number': A V-number has ten digits." in page

    batch = _upload(client, FAMILY)
    preview = client.get(reverse("imports:preview", args=["households", batch.pk]))
    fingerprint = preview.context["validation"].fingerprint()
    client.post(reverse("imports:preview", args=["households", batch.pk]), {"fingerprint": fingerprint})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED and bytes(batch.content) == b""
    assert Household.objects.filter(v_number="1234567890", municipality__code="GM0177").exists()

    # The preview of a newer list shows a stored household: a read, logged.
    newer = list(FAMILY)
    newer[10] = ""
    batch = _upload(client, newer)
    before = ProcessingLog.objects.filter(channel=Channel.IMPORT, action=Action.READ).count()
    client.get(reverse("imports:preview", args=["households", batch.pk]))
    assert ProcessingLog.objects.filter(channel=Channel.IMPORT, action=Action.READ).count() == before + 1

    response = client.get(reverse("imports:export", args=["households", "csv"]))
    assert "1234567890" in response.content.decode()
    assert ProcessingLog.objects.filter(channel=Channel.EXPORT, action=Action.EXPORT).count() == 1


def test_another_municipalitys_household_is_refused_even_when_the_row_would_change_nothing(
    raalte_officer, user
):
    import_rows(
        get_spec("households"), rows(FAMILY), guard=Guard(user)
    )  # the program team imports for Raalte
    zwolle = Area.objects.get(code="GM0193")
    organisation = Organisation.objects.create(
        name="Gemeente Zwolle", kind="municipality", municipality=zwolle
    )
    officer = get_user_model().objects.create_user("zwolle")
    Membership.objects.create(user=officer, role=Role.MUNICIPALITY, organisation=organisation)
    with pytest.raises(ImportRejected) as rejected:
        import_rows(get_spec("households"), rows(FAMILY), guard=Guard(officer))  # identical to what is stored
    assert [(error.row, error.field) for error in rejected.value.validation.errors] == [
        (2, "municipality_code")
    ]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("is_amv", "Jan Jansen"),
        ("ties", "werk: Jan Jansen"),
        ("ties", "Jan Jansen"),
        ("municipality_code", "Jan Jansen"),
    ],
)
def test_messages_kept_with_an_import_do_not_repeat_the_cell(raalte_officer, client, column, value):
    bad = list(FAMILY)
    bad[COLUMNS.index(column)] = value
    client.force_login(raalte_officer)
    batch = _upload(client, bad)
    assert batch.status == ImportBatch.Status.REJECTED and batch.summary["errors"]
    assert "Jan Jansen" not in str(batch.summary) and "jan jansen" not in str(batch.summary).lower()


def test_a_checked_file_not_confirmed_is_set_aside_by_a_newer_upload_or_after_a_day(raalte_officer, client):
    client.force_login(raalte_officer)
    first = _upload(client, FAMILY)
    assert first.status == ImportBatch.Status.STAGED and bytes(first.content)
    second = _upload(client, FAMILY)
    first.refresh_from_db()
    assert (first.status, bytes(first.content)) == (ImportBatch.Status.REJECTED, b"")
    ImportBatch.objects.filter(pk=second.pk).update(
        created_at=second.created_at - datetime.timedelta(hours=25)
    )
    client.force_login(get_user_model().objects.create_superuser("team", password=None))
    third = _upload(client, FAMILY)
    second.refresh_from_db()
    assert (second.status, bytes(second.content)) == (ImportBatch.Status.REJECTED, b"")
    assert third.status == ImportBatch.Status.STAGED


def test_a_tie_written_twice_is_kept_once(raalte_officer):
    twice = list(FAMILY)
    twice[10] = "werk: Heino; Werk: heino;"
    import_rows(get_spec("households"), rows(twice), guard=Guard(raalte_officer))
    assert Household.objects.get().ties.count() == 1


def test_an_import_keeps_a_household_housed_meanwhile(raalte_officer):
    spec = get_spec("households")
    import_rows(spec, rows(FAMILY), guard=Guard(raalte_officer))
    Household.objects.update(status=Household.Status.HOUSED, housed_on=datetime.date(2026, 11, 1))
    newer = list(FAMILY)
    newer[9] = "ja"  # medical needs
    import_rows(spec, rows(newer), guard=Guard(raalte_officer))
    household = Household.objects.get()
    assert (household.status, household.housed_on, household.needs_medical) == (
        Household.Status.HOUSED,
        datetime.date(2026, 11, 1),
        True,
    )
