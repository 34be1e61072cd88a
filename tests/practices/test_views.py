"""The practices pages: access, search form, filters, publishing, editing, deleting and attachments."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from regietafel.core.models import Theme
from regietafel.practices.models import Attachment, Practice, TargetGroup
from regietafel.practices.search import fold
from regietafel.practices.services import add_attachment
from regietafel.regions.models import Area


@pytest.fixture
def practice(add):
    return add(
        "Buddy-programma",
        "GM0193",
        ["participation", "integration"],
        approach="Vrijwilligers begeleiden nieuwe inwoners.",
    )


@pytest.fixture
def attachment(practice, media):
    return add_attachment(practice, SimpleUploadedFile("plan.pdf", b"%PDF-1.4 het plan"), "Projectplan")


def pages(practice, attachment=None):
    urls = [
        "/werkwijzen/",
        "/werkwijzen/?q=vrijwilligers&thema=participation&doelgroep=status_holders&gemeente=GM0193",
        "/werkwijzen/nieuw/",
        f"/werkwijzen/{practice.pk}/",
        f"/werkwijzen/{practice.pk}/bewerken/",
        f"/werkwijzen/{practice.pk}/verwijderen/",
    ]
    if attachment:
        urls.append(f"/werkwijzen/{practice.pk}/bijlagen/{attachment.pk}/")
    return urls


def form_data(**changes) -> dict:
    return {
        "title": "Taalcafé",
        "municipality": Area.objects.get(code="GM0166").pk,
        "organisation": "",
        "target_group": TargetGroup.ALL,
        "themes": [Theme.objects.get(slug="education").pk],
        "problem": "Weinig oefening buiten de les.",
        "approach": "Wekelijks oefenen in de bibliotheek.",
        "results": "",
        "contact": "J. Jansen, beleidsadviseur, j.jansen@example.org",
        **changes,
    }


def result_titles(response) -> list[str]:
    return [practice.title for practice in response.context["practices"]]


# Access ------------------------------------------------------------------------------------------


def test_every_page_answers_a_logged_in_user(logged_in, practice, attachment):
    for url in pages(practice, attachment):
        assert logged_in.get(url).status_code == 200, url


def test_anonymous_users_are_sent_to_the_login_page(client, practice, attachment):
    for url in pages(practice, attachment):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/inloggen/?next=")
    assert client.post("/werkwijzen/nieuw/", form_data()).status_code == 302
    assert Practice.objects.count() == 1


def test_unknown_practices_and_attachments_are_not_found(logged_in, practice, attachment, add):
    other = add("Ander")
    assert logged_in.get("/werkwijzen/999999/").status_code == 404
    assert logged_in.get(f"/werkwijzen/{other.pk}/bijlagen/{attachment.pk}/").status_code == 404


# Search and filters ------------------------------------------------------------------------------


def test_the_search_form_and_result_links(logged_in, practice):
    html = logged_in.get("/werkwijzen/?q=vrijwilligers").content.decode()
    form = re.search(r'<form id="zoeken"[^>]*>(.*?)</form>', html, re.S)
    assert form and 'role="search"' in form.group(0)
    assert re.search(r'<input type="search" name="q" value="vrijwilligers"[^>]*id="id_q"', form.group(1))
    assert '<label class="utrecht-form-label" for="id_q">' in form.group(1)
    assert f'<a class="utrecht-link" href="/werkwijzen/{practice.pk}/">Buddy-programma</a>' in html


def test_search_finds_a_practice_by_a_word_from_its_body(logged_in, test_set):
    response = logged_in.get("/werkwijzen/", {"q": "Nidos"})
    assert result_titles(response) == ["Kleinschalige AMV-opvang"]
    assert logged_in.get("/werkwijzen/", {"q": "coordinatie"}).context["practices"][0].title == (
        "Coördinatie van de opvang"
    )


def test_without_a_query_every_practice_is_listed_by_title(logged_in, test_set, add):
    # Whatever the database's collation: case and diacritics do not change the order.
    add("ölie")
    add("aanpak")
    titles = result_titles(logged_in.get("/werkwijzen/"))
    assert titles == sorted([*test_set, "ölie", "aanpak"], key=lambda title: fold(title))
    assert titles[:2] == ["aanpak", "Buddy-programma statushouders"]
    assert titles.index("ölie") == titles.index("Kleinschalige AMV-opvang") + 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"thema": "reception"},
            {"Coördinatie van de opvang", "Kleinschalige AMV-opvang", "Gastgezinnen Oekraïense ontheemden"},
        ),
        ({"gemeente": "GM0193"}, {"Coördinatie van de opvang", "Buddy-programma statushouders"}),
        # A practice for all groups serves every group.
        (
            {"doelgroep": "displaced_ukrainians"},
            {
                "Gastgezinnen Oekraïense ontheemden",
                "Taalcafé voor nieuwkomers",
                "Flexwonen in leegstaande panden",
            },
        ),
        ({"doelgroep": "all"}, {"Taalcafé voor nieuwkomers", "Flexwonen in leegstaande panden"}),
        ({"q": "opvang", "thema": "care"}, {"Kleinschalige AMV-opvang"}),
        (
            {"q": "statushouders", "gemeente": "GM0193", "doelgroep": "status_holders"},
            {"Buddy-programma statushouders"},
        ),
        ({"q": "statushouders", "thema": "finance"}, set()),
    ],
)
def test_filters_combine_with_the_search(logged_in, test_set, params, expected):
    assert set(result_titles(logged_in.get("/werkwijzen/", params))) == expected


def test_an_unknown_filter_value_is_reported_and_left_out(client_en, test_set):
    response = client_en.get("/werkwijzen/", {"gemeente": "GM9999", "thema": "housing"})
    assert response.status_code == 200
    assert set(result_titles(response)) == {
        "Flexwonen in leegstaande panden",
        "Gastgezinnen Oekraïense ontheemden",
    }
    html = response.content.decode()
    assert 'id="id_gemeente_error"' in html
    assert 'aria-describedby="id_gemeente_error"' in html


def test_the_municipality_filter_offers_municipalities_with_practices(logged_in, test_set):
    choices = [
        label
        for value, label in logged_in.get("/werkwijzen/").context["form"].fields["gemeente"].choices
        if value
    ]
    assert choices == ["Dalfsen", "Deventer", "Hardenberg", "Kampen", "Raalte", "Steenwijkerland", "Zwolle"]


def test_a_query_without_words_says_so(client_en, test_set):
    html = client_en.get("/werkwijzen/", {"q": '"*"'}).content.decode()
    assert "Type at least one word" in html


def test_no_results_say_what_to_try(client_en, test_set):
    html = client_en.get("/werkwijzen/", {"q": "huisarts"}).content.decode()
    assert "0 practices found" in html
    assert "Try fewer or other words" in html


# Demo label --------------------------------------------------------------------------------------


def test_demo_practices_carry_the_demo_marker(logged_in, add):
    demo = add("Voorbeeld (voorbeeld)", is_demo=True)
    real = add("Echte werkwijze", "GM0150")  # not related, so the demo practice is not listed beside it
    listing = logged_in.get("/werkwijzen/").content.decode()
    assert listing.count('<abbr class="rt-demo-marker" title="demogegevens">demo</abbr>') == 1
    detail = logged_in.get(f"/werkwijzen/{demo.pk}/").content.decode()
    assert '<abbr class="rt-demo-marker" title="demogegevens">demo</abbr>' in detail
    assert "rt-demo-marker" not in logged_in.get(f"/werkwijzen/{real.pk}/").content.decode()


# Publish, edit, delete ---------------------------------------------------------------------------


def test_publishing_a_practice(logged_in, areas, user):
    response = logged_in.post("/werkwijzen/nieuw/", form_data())
    practice = Practice.objects.get()
    assert response["Location"] == f"/werkwijzen/{practice.pk}/"
    assert (practice.title, practice.version, practice.created_by) == ("Taalcafé", 1, user)
    assert [theme.slug for theme in practice.themes.all()] == ["education"]
    assert result_titles(logged_in.get("/werkwijzen/", {"q": "bibliotheek"})) == ["Taalcafé"]


def test_a_form_with_errors_names_each_field(client_en, areas):
    region = Area.objects.get(code="VR04")
    response = client_en.post("/werkwijzen/nieuw/", form_data(title="", municipality=region.pk))
    assert response.status_code == 200
    assert not Practice.objects.exists()
    html = response.content.decode()
    assert re.search(
        r'<div class="utrecht-form-field-error-message" id="id_title_error">\s*<p[^>]*>This field is required',
        html,
    )
    assert 'aria-describedby="id_title_error"' in html
    assert 'id="id_municipality_error"' in html


def test_editing_with_the_current_version(logged_in, practice):
    response = logged_in.post(
        f"/werkwijzen/{practice.pk}/bewerken/", form_data(title="Buddy's", version=practice.version)
    )
    assert response["Location"] == f"/werkwijzen/{practice.pk}/"
    practice.refresh_from_db()
    assert (practice.title, practice.version) == ("Buddy's", 2)


def test_the_edit_form_carries_the_version(logged_in, practice):
    html = logged_in.get(f"/werkwijzen/{practice.pk}/bewerken/").content.decode()
    assert '<input type="hidden" name="version" value="1" id="id_version">' in html


def test_a_concurrent_edit_is_refused_with_a_clear_message_and_the_text_kept(client_en, practice):
    url = f"/werkwijzen/{practice.pk}/bewerken/"
    assert client_en.post(url, form_data(title="Eerste", version=1)).status_code == 302
    response = client_en.post(url, form_data(title="Tweede", approach="Mijn nieuwe aanpak.", version=1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this while you were editing. Reload the page and try again." in html
    assert "Mijn nieuwe aanpak." in html
    assert 'name="version" value="1"' in html
    assert response.context["practice"].title == "Eerste"  # the page names the saved practice
    practice.refresh_from_db()
    assert (practice.title, practice.version) == ("Eerste", 2)


def test_deleting_asks_for_confirmation_first(logged_in, practice, attachment):
    html = logged_in.get(f"/werkwijzen/{practice.pk}/verwijderen/").content.decode()
    assert '<input type="hidden" name="version" value="1">' in html
    assert Practice.objects.filter(pk=practice.pk).exists()
    response = logged_in.post(f"/werkwijzen/{practice.pk}/verwijderen/", {"version": "1"})
    assert response["Location"] == "/werkwijzen/"
    assert not Practice.objects.exists()
    assert not Attachment.objects.exists()


def test_deleting_a_changed_practice_is_refused(client_en, practice):
    client_en.post(f"/werkwijzen/{practice.pk}/bewerken/", form_data(version=1))
    response = client_en.post(f"/werkwijzen/{practice.pk}/verwijderen/", {"version": "1"}, follow=True)
    assert Practice.objects.filter(pk=practice.pk).exists()
    assert "Someone else changed this" in response.content.decode()
    assert client_en.post(f"/werkwijzen/{practice.pk}/verwijderen/", {}).status_code == 302
    assert Practice.objects.filter(pk=practice.pk).exists()


# Attachments -------------------------------------------------------------------------------------


def test_the_download_requires_login_and_returns_the_file(client, user, attachment):
    url = f"/werkwijzen/{attachment.practice_id}/bijlagen/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/inloggen/?next={url}"
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Projectplan.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 het plan"


def test_attachments_have_no_public_url(logged_in, settings, attachment):
    assert logged_in.get(f"{settings.MEDIA_URL}{attachment.file.name}").status_code == 404


def test_a_missing_file_is_not_found(logged_in, attachment, media):
    (media / attachment.file.name).unlink()
    assert logged_in.get(f"/werkwijzen/{attachment.practice_id}/bijlagen/{attachment.pk}/").status_code == 404


def test_uploading_an_attachment(logged_in, practice, media):
    upload = SimpleUploadedFile("verslag.docx", b"PK docx")
    response = logged_in.post(f"/werkwijzen/{practice.pk}/bijlagen/", {"file": upload, "name": ""})
    assert response["Location"] == f"/werkwijzen/{practice.pk}/"
    attachment = practice.attachments.get()
    assert attachment.name == "verslag.docx"
    html = logged_in.get(f"/werkwijzen/{practice.pk}/").content.decode()
    assert (
        f'href="/werkwijzen/{practice.pk}/bijlagen/{attachment.pk}/" download>verslag.docx</a> (DOCX' in html
    )


@pytest.mark.parametrize(
    ("name", "size", "problem"),
    [
        ("setup.exe", 10, "File extension “exe” is not allowed. Allowed extensions are: pdf, docx, xlsx"),
        ("foto.gif", 10, "File extension “gif” is not allowed."),
        ("groot.pdf", 11 * 1024 * 1024, "The file is 11.0 MB; an attachment may be at most 10 MB."),
        ("leeg.pdf", 0, "The submitted file is empty."),
    ],
)
def test_upload_errors_name_the_problem(client_en, practice, media, name, size, problem):
    upload = SimpleUploadedFile(name, b"x" * size)
    response = client_en.post(f"/werkwijzen/{practice.pk}/bijlagen/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(
        r'<div class="utrecht-form-field-error-message" id="id_file_error">(.*?)</div>', html, re.S
    )
    assert error and problem in error.group(1)
    assert re.search(
        r'<input type="file" name="file"[^>]*aria-describedby="id_file_helptext id_file_error"', html
    )
    assert not Attachment.objects.exists()
    assert not any(media.rglob("*.*"))


def test_removing_an_attachment(logged_in, attachment, django_capture_on_commit_callbacks):
    stored = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(
            f"/werkwijzen/{attachment.practice_id}/bijlagen/{attachment.pk}/verwijderen/"
        )
    assert response["Location"] == f"/werkwijzen/{attachment.practice_id}/"
    assert not Attachment.objects.exists()
    assert not stored.exists()


# Related practices on the page -------------------------------------------------------------------


def test_the_detail_page_shows_related_practices(logged_in, test_set):
    practice = test_set["Kleinschalige AMV-opvang"]
    response = logged_in.get(f"/werkwijzen/{practice.pk}/")
    assert [other.title for other in response.context["related"]] == [
        "Coördinatie van de opvang",
        "Gastgezinnen Oekraïense ontheemden",
    ]
    assert f'href="/werkwijzen/{test_set["Coördinatie van de opvang"].pk}/"' in response.content.decode()


def test_the_text_keeps_its_paragraphs_and_is_escaped(logged_in, add):
    practice = add("Opmaak", approach="Eerste alinea\nregel twee.\r\n\r\nTweede <script>alinea</script>.")
    html = logged_in.get(f"/werkwijzen/{practice.pk}/").content.decode()
    assert '<p class="utrecht-paragraph">Eerste alinea<br>regel twee.</p>' in html
    assert '<p class="utrecht-paragraph">Tweede &lt;script&gt;alinea&lt;/script&gt;.</p>' in html
