"""The import pages: upload, preview, confirm; templates and exports."""

import csv
import datetime
import html
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import override

from regietafel.core.specs import all_specs, get_spec
from regietafel.housing.models import HousingRealisation, NationalTarget
from regietafel.imports.models import ImportBatch
from regietafel.reception.models import Location
from regietafel.regions.models import PopulationFigure
from tests.support import (
    LOCATION_HEADER,
    NATIONAL_HEADER,
    POPULATION_HEADER,
    REALISATION_HEADER,
    csv_bytes,
    snapshot,
    xlsx_bytes,
)

CONFIRM_BUTTON = "utrecht-button--primary-action"


def csv_upload(header, rows, name="upload.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(header, rows), content_type="text/csv")


def xlsx_upload(header, rows, name="upload.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(header, rows))


def upload(client, kind, file) -> ImportBatch:
    response = client.post(reverse("imports:upload", args=[kind]), {"file": file})
    batch = ImportBatch.objects.order_by("-pk").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:preview", args=[kind, batch.pk])
    return batch


def confirm_data(preview) -> dict[str, str]:
    """The hidden fields of the confirm form, as a browser sends them."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', preview.content.decode()))


def page_text(response) -> str:
    return html.unescape(response.content.decode())


POPULATION_ROWS = [
    ["GM0177", "Raalte", "PV23", "VR04", "IJsselland", "2025-01-01", 38600, "CBS StatLine 03759ned", "H"],
    ["GM0193", "Zwolle", "PV23", "VR04", "IJsselland", "2025-01-01", 134500, "CBS StatLine 03759ned", "H"],
    ["GM0166", "Kampen", "PV23", "VR04", "IJsselland", "2024-01-01", 56178, "CBS StatLine 85984NED", "H"],
    ["GM0150", "Deventer", "PV23", "VR04", "IJsselland", "2024-01-01", 103405, "CBS StatLine 85984NED", "H"],
]
REALISATION_ROWS = [
    ["GM0177", "2025-07", 5, 1, datetime.date(2025, 8, 1), "COA maandrapportage", "H"],
    ["GM0177", "2025-08", 4, 0, datetime.date(2025, 9, 1), "COA maandrapportage", "H"],
    ["GM0193", "2025-07", 12, 2, datetime.date(2025, 8, 1), "COA maandrapportage", "H"],
]
LOCATION_ROWS = [
    ["GM0193", "azc Zwolle", "azc", 400, 380, "2024-01-01", None, "2025-01-01", "COA", "H"],
    ["GM0150", "azc Deventer", "azc", 300, 280, "2024-03-01", None, "2025-01-01", "COA", "H"],
]
NATIONAL_ROWS = [
    ["2026-H1", 0, 12000, None, "", datetime.date(2025, 10, 1), "Rijksoverheid", "H"],
    [
        "2025-H2",
        0,
        13000,
        None,
        "",
        datetime.date(2025, 4, 1),
        "Gemeente.nu, 'Faber verwacht dat achterstand bij huisvesten statushouders oploopt' (april 2025)",
        "M",
    ],
]

GOOD_FILES = {
    # id: (kind, model, make file, expected counts)
    "populations-csv": (
        "populations",
        PopulationFigure,
        lambda: csv_upload(POPULATION_HEADER, POPULATION_ROWS),
        {"create": 2, "update": 1, "unchanged": 1},
    ),
    "realisation-xlsx": (
        "realisation",
        HousingRealisation,
        lambda: xlsx_upload(REALISATION_HEADER, REALISATION_ROWS),
        {"create": 3, "update": 0, "unchanged": 0},
    ),
    "locations-csv": (
        "locations",
        Location,
        lambda: csv_upload(LOCATION_HEADER, LOCATION_ROWS),
        {"create": 2, "update": 0, "unchanged": 0},
    ),
    "national-targets-xlsx": (
        "national-targets",
        NationalTarget,
        lambda: xlsx_upload(NATIONAL_HEADER, NATIONAL_ROWS),
        {"create": 1, "update": 0, "unchanged": 1},
    ),
}


@pytest.mark.parametrize("file_id", list(GOOD_FILES))
def test_upload_previews_without_writing_then_confirm_writes_every_row(dataset, client_en, user, file_id):
    kind, model, make_file, counts = GOOD_FILES[file_id]
    before = snapshot()
    number = model.objects.count()

    batch = upload(client_en, kind, make_file())

    assert batch.status == ImportBatch.Status.STAGED
    assert batch.created_by == user
    assert snapshot() == before
    preview = client_en.get(reverse("imports:preview", args=[kind, batch.pk]))
    assert preview.status_code == 200
    assert preview.context["counts"] == counts
    assert not preview.context["validation"].errors
    assert CONFIRM_BUTTON in preview.content.decode()
    assert snapshot() == before

    # The browser posts back the counts the user saw.
    confirmed = client_en.post(reverse("imports:preview", args=[kind, batch.pk]), confirm_data(preview))

    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("imports:index")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.summary["counts"] == counts
    assert model.objects.count() == number + counts["create"]
    index = client_en.get(confirmed["Location"])
    message = " ".join(str(m) for m in index.context["messages"])
    assert f"{counts['create']} new" in message
    assert f"{counts['update']} updated" in message


@pytest.mark.parametrize("file_id", list(GOOD_FILES))
def test_uploading_the_same_file_again_shows_all_unchanged_and_adds_nothing(dataset, client_en, file_id):
    kind, model, make_file, counts = GOOD_FILES[file_id]
    first = upload(client_en, kind, make_file())
    client_en.post(reverse("imports:preview", args=[kind, first.pk]))
    number = model.objects.count()
    before = snapshot()

    second = upload(client_en, kind, make_file())
    preview = client_en.get(reverse("imports:preview", args=[kind, second.pk]))
    client_en.post(reverse("imports:preview", args=[kind, second.pk]))

    assert preview.context["counts"] == {"create": 0, "update": 0, "unchanged": sum(counts.values())}
    assert model.objects.count() == number
    assert snapshot() == before


def test_a_changed_value_previews_as_an_update(dataset, client_en):
    first = upload(client_en, "realisation", xlsx_upload(REALISATION_HEADER, REALISATION_ROWS))
    client_en.post(reverse("imports:preview", args=["realisation", first.pk]))
    changed = [list(row) for row in REALISATION_ROWS]
    changed[1][2] = 9

    batch = upload(client_en, "realisation", xlsx_upload(REALISATION_HEADER, changed))
    preview = client_en.get(reverse("imports:preview", args=["realisation", batch.pk]))
    client_en.post(reverse("imports:preview", args=["realisation", batch.pk]))

    assert preview.context["counts"] == {"create": 0, "update": 1, "unchanged": 2}
    assert HousingRealisation.objects.count() == 3
    assert (
        HousingRealisation.objects.get(municipality__code="GM0177", month=datetime.date(2025, 8, 1)).housed
        == 9
    )


def test_the_confirm_form_carries_the_fingerprint_of_the_preview(dataset, client_en):
    batch = upload(client_en, "populations", csv_upload(POPULATION_HEADER, POPULATION_ROWS))
    preview = client_en.get(reverse("imports:preview", args=["populations", batch.pk]))
    fingerprint = confirm_data(preview)["fingerprint"]
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint)
    assert fingerprint == preview.context["validation"].fingerprint()


def test_confirming_is_refused_when_a_record_changed_even_if_the_counts_did_not(dataset, client_en):
    mine = upload(client_en, "locations", csv_upload(LOCATION_HEADER, LOCATION_ROWS))
    client_en.post(reverse("imports:preview", args=["locations", mine.pk]), {})
    second = [list(row) for row in LOCATION_ROWS]
    second[0][3] = 500
    mine = upload(client_en, "locations", csv_upload(LOCATION_HEADER, second))
    preview = client_en.get(reverse("imports:preview", args=["locations", mine.pk]))
    counts = preview.context["counts"]
    changed = [list(row) for row in LOCATION_ROWS[:1]]
    changed[0][3] = 450
    theirs = upload(client_en, "locations", csv_upload(LOCATION_HEADER, changed))
    client_en.post(reverse("imports:preview", args=["locations", theirs.pk]), {})

    url = reverse("imports:preview", args=["locations", mine.pk])
    response = client_en.post(url, confirm_data(preview), follow=True)

    # Confirming returns at once to the batch page, which shows the refusal and the file checked again.
    assert response.redirect_chain == [(url, 302)]
    assert "changed since you checked" in page_text(response)
    assert response.context["counts"] == counts
    assert Location.objects.get(name="azc Zwolle").capacity == 450
    mine.refresh_from_db()
    assert mine.status == ImportBatch.Status.STAGED


def test_confirming_is_refused_when_the_data_changed_since_the_preview(dataset, client_en):
    mine = upload(client_en, "locations", csv_upload(LOCATION_HEADER, LOCATION_ROWS))
    preview = client_en.get(reverse("imports:preview", args=["locations", mine.pk]))
    assert preview.context["counts"] == {"create": 2, "update": 0, "unchanged": 0}
    # Someone else imports a changed version of one of the rows in between.
    changed = [list(row) for row in LOCATION_ROWS[:1]]
    changed[0][3] = 450
    theirs = upload(client_en, "locations", csv_upload(LOCATION_HEADER, changed))
    client_en.post(reverse("imports:preview", args=["locations", theirs.pk]))
    before = snapshot()

    url = reverse("imports:preview", args=["locations", mine.pk])
    response = client_en.post(url, confirm_data(preview), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(url, 302)]
    # The refusal is said once, on the batch page (kept with the batch: it is there on every later visit too).
    assert page_text(response).count("changed since you checked") == 1
    mine.refresh_from_db()
    assert "changed since you checked" in mine.summary["refused"]
    assert mine.status == ImportBatch.Status.STAGED
    assert snapshot() == before
    assert Location.objects.get(name="azc Zwolle").capacity == 450
    assert response.context["counts"] == {"create": 1, "update": 1, "unchanged": 0}


def test_posting_an_applied_batch_again_writes_nothing(dataset, client_en):
    batch = upload(client_en, "locations", csv_upload(LOCATION_HEADER, LOCATION_ROWS))
    client_en.post(reverse("imports:preview", args=["locations", batch.pk]))
    before = snapshot()

    response = client_en.post(reverse("imports:preview", args=["locations", batch.pk]))

    assert response.status_code == 200
    assert CONFIRM_BUTTON not in response.content.decode()
    assert snapshot() == before
    assert Location.objects.filter(name__in=["azc Zwolle", "azc Deventer"]).count() == 2


BAD_FILES = {
    # id: (kind, make file, row, field, part of the message)
    "population-abc": (
        "populations",
        lambda: csv_upload(
            POPULATION_HEADER,
            [*POPULATION_ROWS[:2], ["GM0150", "Deventer", "", "", "", "2025-01-01", "abc", "CBS", "H"]],
        ),
        4,
        "population",
        "Enter a whole number.",
    ),
    "realisation-unknown-municipality-xlsx": (
        "realisation",
        lambda: xlsx_upload(
            REALISATION_HEADER,
            [REALISATION_ROWS[0], ["GM9999", "2025-07", 3, 0, None, "COA", "H"], REALISATION_ROWS[2]],
        ),
        3,
        "municipality_code",
        "Unknown code GM9999.",
    ),
    "realisation-minors-more-than-housed": (
        "realisation",
        lambda: csv_upload(
            REALISATION_HEADER, [*REALISATION_ROWS, ["GM0150", "2025-07", 2, 3, "", "COA", "H"]]
        ),
        5,
        "housed_minors",
        "Cannot be more than the number housed.",
    ),
    "national-target-2024-h3": (
        "national-targets",
        lambda: csv_upload(NATIONAL_HEADER, [NATIONAL_ROWS[0], ["2024-H3", 0, 100, None, "", "", "x", "H"]]),
        3,
        "half_year",
        "Enter a half-year as 2024-H1 or 2024-H2.",
    ),
    "location-duplicate": (
        "locations",
        lambda: csv_upload(LOCATION_HEADER, [*LOCATION_ROWS, LOCATION_ROWS[0]]),
        4,
        "",
        "Same record as row 2",
    ),
    "location-is-demo": (
        "locations",
        lambda: csv_upload(
            [*LOCATION_HEADER, "is_demo"], [[*LOCATION_ROWS[0], "false"], [*LOCATION_ROWS[1], "true"]]
        ),
        3,
        "is_demo",
        "Demo data cannot be imported as sourced figures",
    ),
    "realisation-missing-column": (
        "realisation",
        lambda: csv_upload(
            [c for c in REALISATION_HEADER if c != "housed"],
            [
                [v for c, v in zip(REALISATION_HEADER, r, strict=True) if c != "housed"]
                for r in REALISATION_ROWS
            ],
        ),
        1,
        "housed",
        "This column is missing.",
    ),
}


@pytest.mark.parametrize("file_id", list(BAD_FILES))
def test_a_file_with_one_bad_row_is_rejected_on_the_preview_and_never_written(dataset, client_en, file_id):
    kind, make_file, row, field, fragment = BAD_FILES[file_id]
    before = snapshot()

    batch = upload(client_en, kind, make_file())
    preview = client_en.get(reverse("imports:preview", args=[kind, batch.pk]))

    assert batch.status == ImportBatch.Status.REJECTED
    assert preview.status_code == 200
    text = page_text(preview)
    expected = f"Row {row}, field '{field}': " if field else f"Row {row}: "
    assert expected + fragment in text
    assert [(e.row, e.field) for e in preview.context["validation"].errors] == [(row, field)]
    assert batch.summary["errors"] == [str(preview.context["validation"].errors[0])]
    assert CONFIRM_BUTTON not in preview.content.decode()
    assert snapshot() == before

    forced = client_en.post(reverse("imports:preview", args=[kind, batch.pk]))

    assert forced.status_code == 200
    assert CONFIRM_BUTTON not in forced.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.applied_at is None
    assert snapshot() == before


def test_the_preview_error_names_row_and_column_in_the_default_language(dataset, logged_in):
    batch = upload(
        logged_in, "national-targets", csv_upload(NATIONAL_HEADER, [["2024-H3", 0, 1, "", "", "", "x", "H"]])
    )
    preview = logged_in.get(reverse("imports:preview", args=["national-targets", batch.pk]))
    # Dutch by default; whatever the language, the row number and the column name are in the message.
    assert '<html lang="nl"' in preview.content.decode()
    error = preview.context["validation"].errors[0]
    assert (error.row, error.field) == (2, "half_year")
    assert str(error) in page_text(preview)
    assert "half_year" in str(error)


@pytest.mark.parametrize(("name", "content"), [("cijfers.pdf", b"%PDF-1.4"), ("leeg.csv", b"  \n")])
def test_an_unreadable_file_is_rejected(dataset, client_en, name, content):
    before = snapshot()
    batch = upload(client_en, "populations", SimpleUploadedFile(name, content))
    preview = client_en.get(reverse("imports:preview", args=["populations", batch.pk]))
    assert batch.status == ImportBatch.Status.REJECTED
    assert preview.context["validation"].errors[0].row == 1
    assert CONFIRM_BUTTON not in preview.content.decode()
    assert snapshot() == before


def test_upload_without_a_file_shows_the_form_again(dataset, client_en):
    # A browser always sends the CSRF token along; the test client does not check it.
    response = client_en.post(reverse("imports:upload", args=["populations"]), {"csrfmiddlewaretoken": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert ImportBatch.objects.count() == 0


def test_the_upload_page_lists_the_columns(dataset, client_en):
    response = client_en.get(reverse("imports:upload", args=["realisation"]))
    assert response.status_code == 200
    text = page_text(response)
    assert ", ".join(get_spec("realisation").columns) in text


def test_the_index_lists_every_table_and_recent_imports(dataset, client_en):
    upload(client_en, "locations", csv_upload(LOCATION_HEADER, LOCATION_ROWS, name="locaties-2025.csv"))
    response = client_en.get(reverse("imports:index"))
    assert response.status_code == 200
    content = response.content.decode()
    for spec in all_specs():
        assert reverse("imports:upload", args=[spec.key]) in content
        assert reverse("imports:template", args=[spec.key, "xlsx"]) in content
        assert reverse("imports:export", args=[spec.key, "csv"]) in content
    assert "locaties-2025.csv" in content


@pytest.mark.parametrize("kind", [spec.key for spec in all_specs()])
def test_csv_template_has_the_columns_of_the_spec(client_en, kind):
    response = client_en.get(reverse("imports:template", args=[kind, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="sjabloon-{kind}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == labels(kind)
    assert len(rows) - 1 == len(get_spec(kind).example_rows)
    for_systems = client_en.get(reverse("imports:template", args=[kind, "csv"]), {"variant": "systeem"})
    assert next(csv.reader(io.StringIO(for_systems.content.decode("utf-8-sig")))) == get_spec(kind).columns


def labels(kind: str) -> list[str]:
    with override("en"):
        return [capfirst(str(heading.label)) for heading in get_spec(kind).headings]


@pytest.mark.parametrize("kind", [spec.key for spec in all_specs()])
def test_xlsx_template_has_the_columns_of_the_spec(client_en, kind):
    response = client_en.get(reverse("imports:template", args=[kind, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="sjabloon-{kind}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))]
    assert header == labels(kind)


def test_unknown_table_or_format_is_not_found(client_en):
    assert client_en.get(reverse("imports:upload", args=["belastingen"])).status_code == 404
    assert client_en.get(reverse("imports:template", args=["populations", "pdf"])).status_code == 404
    assert client_en.get(reverse("imports:export", args=["populations", "ods"])).status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_downloaded_export_uploads_again_as_all_unchanged(dataset, client_en, file_format):
    before = snapshot()
    export = client_en.get(reverse("imports:export", args=["populations", file_format]))
    assert export.status_code == 200
    assert export["Content-Disposition"] == f'attachment; filename="populations.{file_format}"'

    batch = upload(client_en, "populations", SimpleUploadedFile(f"populations.{file_format}", export.content))
    preview = client_en.get(reverse("imports:preview", args=["populations", batch.pk]))
    client_en.post(reverse("imports:preview", args=["populations", batch.pk]))

    number = PopulationFigure.objects.count()
    assert preview.context["counts"] == {"create": 0, "update": 0, "unchanged": number}
    assert snapshot() == before


def test_downloaded_export_with_demo_rows_is_refused(demo, client_en):
    export = client_en.get(reverse("imports:export", args=["realisation", "xlsx"]))
    before = snapshot()

    batch = upload(client_en, "realisation", SimpleUploadedFile("realisation.xlsx", export.content))
    preview = client_en.get(reverse("imports:preview", args=["realisation", batch.pk]))

    assert batch.status == ImportBatch.Status.REJECTED
    errors = preview.context["validation"].errors
    assert len(errors) == HousingRealisation.objects.filter(is_demo=True).count()
    assert {error.field for error in errors} == {"Demo data"}  # as the downloaded file names the column
    assert "Demo data cannot be imported as sourced figures" in page_text(preview)
    assert CONFIRM_BUTTON not in preview.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    "url",
    [
        "/import/",
        "/import/populations/",
        "/import/populations/sjabloon.csv",
        "/import/populations/export.csv",
    ],
)
def test_import_pages_require_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_anonymous_upload_is_refused_and_writes_nothing(client, dataset):
    before = snapshot()
    response = client.post(
        reverse("imports:upload", args=["populations"]),
        {"file": csv_upload(POPULATION_HEADER, POPULATION_ROWS)},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert ImportBatch.objects.count() == 0
    assert snapshot() == before
