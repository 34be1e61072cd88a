"""The partner register's pages: access, lists and filters, forms, contacts, demo labels."""

import re

import pytest

from regietafel.organisations.models import Contact, Organisation
from regietafel.organisations.services import add_contact, save_organisation

Kind = Organisation.Kind


@pytest.fixture
def care(partners):
    return partners["care"]


@pytest.fixture
def contact(care):
    return care.contacts.get()


def pages(care, contact) -> list[str]:
    return [
        "/partners/",
        "/partners/?soort=care&thema=housing&gemeente=GM9901",
        "/partners/nieuw/",
        f"/partners/{care.pk}/",
        f"/partners/{care.pk}/bewerken/",
        f"/partners/{care.pk}/contactpersonen/nieuw/",
        f"/partners/{care.pk}/contactpersonen/{contact.pk}/",
        f"/partners/{care.pk}/contactpersonen/{contact.pk}/verwijderen/",
        "/partners/wie-doet-wat-waar/?regio=VR99",
        "/partners/wie-doet-wat-waar/export.csv?regio=VR99",
    ]


def organisation_form(organisation=None, **changes) -> dict:
    data = {"name": "", "kind": "", "municipality": "", "description": "", "website": "", "version": ""}
    if organisation is not None:
        data.update(
            {
                "name": organisation.name,
                "kind": organisation.kind,
                "description": organisation.description,
                "website": organisation.website,
                "version": organisation.version,
                "themes": [theme.pk for theme in organisation.themes.all()],
                "works_in": [area.pk for area in organisation.works_in.all()],
            }
        )
    data.update(changes)
    return data


# Access --------------------------------------------------------------------------------------------


def test_every_page_answers_a_logged_in_user(care, contact, logged_in):
    for url in pages(care, contact):
        assert logged_in.get(url).status_code == 200, url


def test_anonymous_users_are_sent_to_the_login_page(care, contact, client):
    for url in pages(care, contact):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/inloggen/?next="), url
    response = client.post("/partners/nieuw/", organisation_form(name="Ongevraagd", kind="other"))
    assert response.status_code == 302
    assert not Organisation.objects.filter(name="Ongevraagd").exists()


def test_an_unknown_organisation_is_not_found(care, contact, logged_in):
    unknown = Organisation.objects.order_by("pk").last().pk + 1
    for url in [
        f"/partners/{unknown}/",
        f"/partners/{unknown}/bewerken/",
        f"/partners/{unknown}/contactpersonen/nieuw/",
        f"/partners/{unknown}/contactpersonen/{contact.pk}/",
        f"/partners/{unknown}/contactpersonen/{contact.pk}/verwijderen/",
        f"/partners/{care.pk}/contactpersonen/{contact.pk + 1}/",
    ]:
        assert logged_in.get(url).status_code == 404, url


def test_a_contact_is_only_reached_through_its_own_organisation(partners, contact, logged_in):
    other = partners["housing"].pk
    assert logged_in.get(f"/partners/{other}/contactpersonen/{contact.pk}/").status_code == 404
    response = logged_in.post(f"/partners/{other}/contactpersonen/{contact.pk}/verwijderen/", {"version": 1})
    assert response.status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


# List ----------------------------------------------------------------------------------------------


def listed(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisations"]]


def test_the_list_shows_every_organisation_with_type_themes_and_municipalities(partners, client_en):
    response = client_en.get("/partners/")
    assert listed(response) == ["Kerk Cee", "School Dee", "Woonstichting Aa", "Zorggroep Bee"]
    content = response.content.decode()
    assert "4 organisations" in content
    row = re.search(r"<tr[^>]*>\s*<th[^>]*><a [^>]*>Zorggroep Bee</a>.*?</tr>", content, re.S).group(0)
    assert "care institution" in row
    assert "Huisvesting, Zorg" in row
    assert "Aastad, Beedorp, Deedam" in row
    assert re.search(r"<td[^>]*>1</td>", row), "one contact"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"soort": "care"}, ["Zorggroep Bee"]),
        ({"thema": "housing"}, ["Woonstichting Aa", "Zorggroep Bee"]),
        ({"gemeente": "GM9903"}, ["Kerk Cee", "School Dee"]),
        ({"thema": "housing", "gemeente": "GM9902"}, ["Zorggroep Bee"]),
        ({"soort": "church", "thema": "housing"}, []),
    ],
)
def test_the_list_filters_by_type_theme_and_municipality(partners, client_en, query, expected):
    response = client_en.get("/partners/", query)
    assert listed(response) == expected
    if not expected:
        assert "No organisation matches these filters." in response.content.decode()


def test_filters_do_not_change_the_number_of_contacts(care, client_en):
    add_contact(care, name="Tweede contactpersoon")
    for query in [{}, {"thema": "housing"}, {"thema": "care", "gemeente": "GM9902"}]:
        organisations = client_en.get("/partners/", query).context["organisations"]
        assert [o.contact_count for o in organisations if o.pk == care.pk] == [2], query


def test_an_unknown_filter_value_is_reported_and_the_list_left_unfiltered(partners, client_en):
    response = client_en.get("/partners/", {"soort": "guild", "gemeente": "GM0000"})
    assert response.context["form"].errors.keys() == {"soort", "gemeente"}
    assert len(listed(response)) == 4
    assert 'aria-invalid="true"' in response.content.decode()


def test_demo_organisations_are_marked_in_the_list_and_on_their_page(partners, client_en):
    content = client_en.get("/partners/").content.decode()
    assert re.search(
        r">School Dee</a> <abbr class=\"rt-demo-marker\" title=\"demo data\">demo</abbr>", content
    )
    assert not re.search(r">Zorggroep Bee</a><abbr", content)

    demo = client_en.get(f"/partners/{partners['school'].pk}/").content.decode()
    assert '<abbr class="rt-demo-marker" title="demo data">demo</abbr>' in demo
    real = client_en.get(f"/partners/{partners['care'].pk}/").content.decode()
    assert "rt-demo-marker" not in real


def test_the_demo_marker_reads_demo_in_dutch(partners, logged_in):
    content = logged_in.get(f"/partners/{partners['school'].pk}/").content.decode()
    assert '<abbr class="rt-demo-marker" title="demogegevens">demo</abbr>' in content


# Detail --------------------------------------------------------------------------------------------


def test_the_detail_page_shows_contacts_themes_and_municipalities(care, contact, client_en):
    content = client_en.get(f"/partners/{care.pk}/").content.decode()
    assert '<h1 class="utrecht-heading-1">Zorggroep Bee</h1>' in content
    assert "<li>Huisvesting</li>" in content
    assert "<li>Zorg</li>" in content
    assert "<li>Aastad</li><li>Beedorp</li><li>Deedam</li>" in content
    assert '<th scope="row" class="utrecht-table__header-cell">Contactpersoon Bee</th>' in content
    assert 'href="mailto:bee@example.org"' in content
    assert f'href="/partners/{care.pk}/contactpersonen/{contact.pk}/"' in content
    assert "medewerker" in content, "who changed it last"


def test_the_detail_page_lists_the_actions_and_referrals_of_the_organisation(care, logged_in, user):
    import datetime

    from regietafel.meetings.models import Action, Forum, Referral

    Action.objects.create(
        title="Zorgplekken zoeken", owner_organisation=care, deadline=datetime.date(2020, 1, 1)
    )
    forum = Forum.objects.create(
        name="Overleg zorg", kind=Forum.Kind.REGIONAL_CONSULTATION, organisation=care
    )
    Referral.objects.create(
        forum=forum, title="Vraag over zorg", question="?", sent_on=datetime.date(2026, 1, 5)
    )
    content = logged_in.get(f"/partners/{care.pk}/").content.decode()
    assert "Zorgplekken zoeken" in content and "rt-overdue-label" in content
    assert "Vraag over zorg" in content
    assert content.index("Contactpersoon Bee") < content.index("Zorgplekken zoeken")


# Create and edit -----------------------------------------------------------------------------------


def test_adding_an_organisation(partners, logged_in, user):
    response = logged_in.post(
        "/partners/nieuw/",
        organisation_form(
            name="Stichting Nieuw Thuis",
            kind="civil_society",
            website="https://nieuwthuis.example.org",
            themes=[partners["school"].themes.get().pk],
            works_in=[partners["school"].works_in.get().pk],
        ),
    )
    organisation = Organisation.objects.get(name="Stichting Nieuw Thuis")
    assert response.status_code == 302
    assert response["Location"] == f"/partners/{organisation.pk}/"
    assert (organisation.kind, organisation.version, organisation.updated_by) == ("civil_society", 1, user)
    assert [theme.slug for theme in organisation.themes.all()] == ["education"]
    assert [area.code for area in organisation.works_in.all()] == ["GM9903"]
    assert organisation.is_demo is False


def test_an_invalid_organisation_is_shown_again_with_its_errors(partners, client_en):
    count = Organisation.objects.count()
    response = client_en.post(
        "/partners/nieuw/", organisation_form(name="", kind="guild", website="geen url")
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "kind", "website"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert Organisation.objects.count() == count


def test_a_duplicate_name_is_refused_by_the_form(partners, client_en):
    response = client_en.post("/partners/nieuw/", organisation_form(name="Zorggroep Bee", kind="care"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_only_a_municipality_can_govern_a_municipality(small_region, client_en):
    from regietafel.regions.models import Area

    aastad = Area.objects.get(code="GM9901")
    response = client_en.post(
        "/partners/nieuw/", organisation_form(name="Gemeente Aastad", kind="care", municipality=aastad.pk)
    )
    assert response.context["form"].errors.keys() == {"municipality"}
    response = client_en.post(
        "/partners/nieuw/",
        organisation_form(name="Gemeente Aastad", kind="municipality", municipality=aastad.pk),
    )
    assert response.status_code == 302
    assert Organisation.objects.get(municipality=aastad).name == "Gemeente Aastad"


def test_editing_an_organisation(care, logged_in):
    response = logged_in.post(
        f"/partners/{care.pk}/bewerken/",
        organisation_form(care, description="Zorg voor nieuwkomers", themes=[]),
    )
    assert response.status_code == 302
    care.refresh_from_db()
    assert (care.description, care.version, care.themes.count()) == ("Zorg voor nieuwkomers", 2, 0)


def test_an_edit_based_on_an_older_version_is_refused_with_a_message(care, client_en):
    opened = organisation_form(care)
    save_organisation(
        care,
        name=care.name,
        kind=care.kind,
        description="Intussen door een collega gewijzigd",
        themes=care.themes.all(),
        works_in=care.works_in.all(),
        version=1,
    )
    response = client_en.post(f"/partners/{care.pk}/bewerken/", {**opened, "description": "Mijn wijziging"})
    assert response.status_code == 200
    assert "Someone else changed this while you were editing" in response.content.decode()
    care.refresh_from_db()
    assert (care.description, care.version) == ("Intussen door een collega gewijzigd", 2)


# Contacts ------------------------------------------------------------------------------------------


def test_adding_changing_and_removing_a_contact(care, logged_in):
    response = logged_in.post(
        f"/partners/{care.pk}/contactpersonen/nieuw/",
        {"name": "Bram", "role": "Wijkverpleegkundige", "email": "bram@example.org", "phone": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/partners/{care.pk}/"
    bram = care.contacts.get(name="Bram")

    response = logged_in.post(
        f"/partners/{care.pk}/contactpersonen/{bram.pk}/",
        {
            "name": "Bram",
            "role": "Teamleider",
            "email": "bram@example.org",
            "phone": "038 000 00 00",
            "version": 1,
        },
    )
    assert response.status_code == 302
    bram.refresh_from_db()
    assert (bram.role, bram.phone, bram.version) == ("Teamleider", "038 000 00 00", 2)

    page = logged_in.get(f"/partners/{care.pk}/contactpersonen/{bram.pk}/verwijderen/").content.decode()
    assert 'name="version" value="2"' in page
    response = logged_in.post(f"/partners/{care.pk}/contactpersonen/{bram.pk}/verwijderen/", {"version": 2})
    assert response.status_code == 302
    assert not care.contacts.filter(name="Bram").exists()


def test_an_invalid_contact_is_shown_again(care, client_en):
    response = client_en.post(
        f"/partners/{care.pk}/contactpersonen/nieuw/",
        {"name": "", "email": "geen e-mail", "role": "", "phone": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "email"}
    assert care.contacts.count() == 1


def test_a_stale_contact_edit_or_removal_is_refused(care, contact, client_en):
    data = {"name": contact.name, "role": "Nieuw", "email": "", "phone": "", "version": 1}
    add_contact(care, name="Iemand anders")
    client_en.post(f"/partners/{care.pk}/contactpersonen/{contact.pk}/", data)

    response = client_en.post(f"/partners/{care.pk}/contactpersonen/{contact.pk}/", {**data, "role": "Oud"})
    assert "Someone else changed this" in response.content.decode()

    response = client_en.post(
        f"/partners/{care.pk}/contactpersonen/{contact.pk}/verwijderen/", {"version": 1}, follow=True
    )
    assert "Someone else changed this" in response.content.decode()
    contact.refresh_from_db()
    assert (contact.role, contact.version) == ("Nieuw", 2)


def test_delete_without_a_version_is_refused(care, contact, logged_in):
    logged_in.post(f"/partners/{care.pk}/contactpersonen/{contact.pk}/verwijderen/", {"version": "x"})
    assert Contact.objects.filter(pk=contact.pk).exists()
