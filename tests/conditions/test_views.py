"""The /randvoorwaarden/ pages: list by theme, detail with history, edit with conflicts, status, download."""

import io
import re

import docx
import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from regietafel.conditions.models import Condition
from regietafel.core.models import Theme

NOT_AGREED = Condition.Status.NOT_AGREED
AGREED = Condition.Status.AGREED
PILOT = Condition.Status.PILOT_REQUESTED
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def conditions(add):
    return {
        "finance": add("Structurele financiering", "finance", NOT_AGREED),
        "ukraine": add("Vergoeding opvang Oekraïne", "finance", AGREED),
        "education": add("Capaciteit nieuwkomersonderwijs", "education", PILOT),
        "care": add("GGZ bij opvanglocaties", "care", NOT_AGREED, is_demo=True),
    }


def pages(conditions) -> list[str]:
    pk = conditions["finance"].pk
    return [
        "/randvoorwaarden/",
        "/randvoorwaarden/?status=not_agreed&thema=finance",
        "/randvoorwaarden/nieuw/",
        f"/randvoorwaarden/{pk}/",
        f"/randvoorwaarden/{pk}/wijzigen/",
        f"/randvoorwaarden/{pk}/status/",
        "/randvoorwaarden/export/",
    ]


def form_data(condition, **changes) -> dict:
    data = {
        "title": condition.title,
        "theme": condition.theme_id,
        "new_theme": "",
        "status": condition.status,
        "description": condition.description,
        "what_we_ask": condition.what_we_ask,
        "owner": "",
        "owner_name": condition.owner_name,
        "region": condition.region_id,
        "version": condition.version,
    }
    data.update(changes)
    return data


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Access ------------------------------------------------------------------------------------------------


def test_every_page_answers_a_logged_in_user(conditions, logged_in):
    for url in pages(conditions):
        assert logged_in.get(url).status_code == 200, url


def test_anonymous_users_are_sent_to_the_login_page(conditions, client):
    for url in pages(conditions):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/inloggen/?next="), url
    assert client.post("/randvoorwaarden/nieuw/", {"title": "x"}).status_code == 302
    assert Condition.objects.count() == 4


def test_an_unknown_condition_is_not_found(region, logged_in):
    assert logged_in.get("/randvoorwaarden/999/").status_code == 404
    assert logged_in.get("/randvoorwaarden/999/wijzigen/").status_code == 404


# List --------------------------------------------------------------------------------------------------


def test_the_list_groups_conditions_by_theme_and_counts_each_status(conditions, client_en):
    response = client_en.get("/randvoorwaarden/")

    groups = [(theme.name, [c.title for c in items]) for theme, items in response.context["groups"]]
    assert groups == [
        ("Financiën", ["Structurele financiering", "Vergoeding opvang Oekraïne"]),
        ("Onderwijs", ["Capaciteit nieuwkomersonderwijs"]),
        ("Zorg", ["GGZ bij opvanglocaties"]),
    ]
    assert [(value, count) for value, _label, count in response.context["statuses"]] == [
        (AGREED, 1),
        (NOT_AGREED, 2),
        (PILOT, 1),
    ]
    html = response.content.decode()
    assert ">Conditions on Financiën</caption>" in html
    assert "Download 'nog niet akkoord' (.docx)</a>" in html


def test_the_list_filters_by_status_and_theme(conditions, logged_in):
    response = logged_in.get("/randvoorwaarden/?status=not_agreed")
    assert [c.title for _t, items in response.context["groups"] for c in items] == [
        "Structurele financiering",
        "GGZ bij opvanglocaties",
    ]

    response = logged_in.get("/randvoorwaarden/?thema=finance")
    assert [c.title for _t, items in response.context["groups"] for c in items] == [
        "Structurele financiering",
        "Vergoeding opvang Oekraïne",
    ]
    # The counts follow the theme, not the status.
    assert [count for _value, _label, count in response.context["statuses"]] == [1, 1, 0]

    response = logged_in.get("/randvoorwaarden/?thema=finance&status=agreed")
    assert [c.title for _t, items in response.context["groups"] for c in items] == [
        "Vergoeding opvang Oekraïne"
    ]


def test_an_unknown_filter_shows_everything_with_a_message(conditions, client_en):
    response = client_en.get("/randvoorwaarden/?status=klaar&thema=onbekend")

    assert sum(len(items) for _theme, items in response.context["groups"]) == 4
    assert texts(response) == [
        "Unknown theme onbekend; showing all themes.",
        "Unknown status klaar; showing every status.",
    ]


def test_demo_conditions_are_labelled(conditions, logged_in):
    html = logged_in.get("/randvoorwaarden/").content.decode()
    assert '<span class="rt-demo-label">demogegevens</span>' in html
    row = re.search(r"GGZ bij opvanglocaties</a>(.*?)</th>", html).group(1)
    assert 'class="rt-demo-marker"' in row
    row = re.search(r"Structurele financiering</a>(.*?)</th>", html).group(1)
    assert "rt-demo-marker" not in row
    detail = logged_in.get(f"/randvoorwaarden/{conditions['care'].pk}/").content.decode()
    assert '<span class="rt-demo-label">demogegevens</span>' in detail


def test_without_demo_conditions_there_is_no_demo_label(add, logged_in):
    add("Structurele financiering")
    assert "rt-demo-label" not in logged_in.get("/randvoorwaarden/").content.decode()


# Create and edit ---------------------------------------------------------------------------------------


def test_a_new_condition_with_a_new_theme_is_saved_with_its_history(region, logged_in, user):
    data = {
        "title": "Sportdeelname statushouders",
        "theme": "",
        "new_theme": "Sport",
        "status": PILOT,
        "description": "",
        "what_we_ask": "Een pilot met sportverenigingen.",
        "owner": "",
        "owner_name": "",
        "region": region.pk,
        "version": "",
    }

    response = logged_in.post("/randvoorwaarden/nieuw/", data)

    condition = Condition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/randvoorwaarden/{condition.pk}/"
    assert condition.theme == Theme.objects.get(name="Sport")
    assert condition.status == PILOT
    assert set(condition.changes.filter(changed_by=user).values_list("field", flat=True)) == {
        "title",
        "theme",
        "status",
        "what_we_ask",
        "region",
    }


def test_a_new_condition_needs_a_theme(region, client_en):
    data = {"title": "Zonder thema", "theme": "", "new_theme": "", "status": NOT_AGREED, "what_we_ask": "x"}
    data["region"] = region.pk

    response = client_en.post("/randvoorwaarden/nieuw/", data)

    assert response.status_code == 200
    assert Condition.objects.count() == 0
    html = response.content.decode()
    assert '<div class="utrecht-form-field-error-message" id="id_theme_error">' in html
    assert 'aria-describedby="id_theme_error"' in html
    assert 'aria-invalid="true"' in html


def test_choosing_a_theme_and_typing_one_is_refused(region, client_en):
    data = {"title": "Twee thema's", "theme": Theme.objects.get(slug="care").pk, "new_theme": "Sport"}
    data.update({"status": NOT_AGREED, "what_we_ask": "x", "region": region.pk})

    response = client_en.post("/randvoorwaarden/nieuw/", data)

    assert "not both" in response.content.decode()
    assert Condition.objects.count() == 0


def test_an_edit_is_saved_and_shown_in_the_history(conditions, logged_in):
    condition = conditions["finance"]

    response = logged_in.post(
        f"/randvoorwaarden/{condition.pk}/wijzigen/", form_data(condition, title="Meerjarige financiering")
    )

    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.title == "Meerjarige financiering"
    assert condition.version == 2
    detail = logged_in.get(f"/randvoorwaarden/{condition.pk}/").content.decode()
    assert "Structurele financiering" in detail  # the old title, in the history
    assert "medewerker" in detail


def test_an_edit_after_someone_else_saved_shows_a_conflict_and_keeps_both_texts(conditions, client_en):
    condition = conditions["finance"]
    opened = form_data(condition)
    client_en.post(f"/randvoorwaarden/{condition.pk}/wijzigen/", {**opened, "title": "Eerst opgeslagen"})

    response = client_en.post(
        f"/randvoorwaarden/{condition.pk}/wijzigen/", {**opened, "title": "Mijn versie"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this while you were editing" in html
    assert 'value="Mijn versie"' in html  # the user's text is kept to copy
    condition.refresh_from_db()
    assert condition.title == "Eerst opgeslagen"


# Status ------------------------------------------------------------------------------------------------


def test_changing_the_status_records_the_note(conditions, logged_in):
    condition = conditions["finance"]

    response = logged_in.post(
        f"/randvoorwaarden/{condition.pk}/status/",
        {"status": AGREED, "note": "Akkoord in het bestuurlijk overleg.", "version": 1},
    )

    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.status == AGREED
    change = condition.changes.order_by("pk").last()
    assert (change.field, change.new_value, change.note) == (
        "status",
        AGREED,
        "Akkoord in het bestuurlijk overleg.",
    )
    assert (
        "Akkoord in het bestuurlijk overleg."
        in logged_in.get(f"/randvoorwaarden/{condition.pk}/").content.decode()
    )


def test_a_status_change_on_an_older_version_is_refused(conditions, client_en):
    condition = conditions["finance"]
    client_en.post(f"/randvoorwaarden/{condition.pk}/status/", {"status": PILOT, "version": 1})

    response = client_en.post(f"/randvoorwaarden/{condition.pk}/status/", {"status": AGREED, "version": 1})

    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    condition.refresh_from_db()
    assert condition.status == PILOT


# Download ----------------------------------------------------------------------------------------------


def test_the_download_is_the_not_agreed_package_named_with_the_date(conditions, logged_in):
    response = logged_in.get("/randvoorwaarden/export/")

    today = timezone.localdate().isoformat()
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert (
        response["Content-Disposition"] == f'attachment; filename="nog-niet-akkoord-ijsselland-{today}.docx"'
    )
    document = docx.Document(io.BytesIO(response.content))
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert titles == ["Structurele financiering", "GGZ bij opvanglocaties (demo)"]


def test_the_download_of_another_status(conditions, logged_in):
    response = logged_in.get("/randvoorwaarden/export/?status=agreed")

    assert response["Content-Disposition"].startswith('attachment; filename="akkoord-ijsselland-')
    document = docx.Document(io.BytesIO(response.content))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == [
        "Vergoeding opvang Oekraïne"
    ]


def test_the_download_of_an_unknown_status_is_not_found(region, logged_in):
    assert logged_in.get("/randvoorwaarden/export/?status=klaar").status_code == 404
    assert logged_in.post("/randvoorwaarden/export/").status_code == 405
