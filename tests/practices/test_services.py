"""Writes go through services, each in one transaction that also writes the search index."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from regietafel.core.models import Theme
from regietafel.core.versioning import StaleEdit
from regietafel.practices import services
from regietafel.practices.models import Attachment, Practice
from regietafel.practices.search import search
from regietafel.practices.services import add_attachment, delete_practice, save_practice
from regietafel.regions.models import Area


@pytest.fixture(autouse=True)
def english():
    """The messages asserted here are the English msgids; the UI language is Dutch."""
    with translation.override("en"):
        yield


def data_of(practice: Practice, **changes) -> dict:
    fields = [
        "title",
        "problem",
        "approach",
        "results",
        "contact",
        "target_group",
        "municipality",
        "organisation",
    ]
    return {**{field: getattr(practice, field) for field in fields}, **changes}


def test_a_new_practice_is_version_1_by_its_author_and_findable(add, user):
    practice = add("Taalmaatjes", themes=["education", "participation"], approach="Koppelen aan taalmaatjes.")
    assert practice.version == 1
    assert practice.created_by == user
    assert practice.is_demo is False
    assert {theme.slug for theme in practice.themes.all()} == {"education", "participation"}
    assert search("taalmaatjes") == [practice]


def test_text_is_stored_in_one_unicode_form_without_surrounding_space(add):
    practice = add("  Cafe\u0301 ", approach="Coo\u0308rdinatie")
    practice.refresh_from_db()
    assert practice.title == "Café"
    assert practice.approach == "Coördinatie"


def test_an_edit_based_on_the_current_version_is_saved_and_reindexed(add, user):
    practice = add("Taalmaatjes", approach="Koppelen aan buurtgenoten.")
    changed = save_practice(
        data_of(practice, approach="Koppelen aan vrijwilligers."),
        [Theme.objects.get(slug="care")],
        user,
        1,
        practice=practice,
    )
    assert changed.version == 2
    assert [theme.slug for theme in changed.themes.all()] == ["care"]
    assert search("vrijwilligers") == [changed]
    assert search("taalmaatjes vrijwilligers") == [changed]
    assert search("buurtgenoten") == []


def test_an_edit_based_on_an_older_version_is_refused_and_changes_nothing(add, user):
    practice = add("Taalmaatjes", approach="Koppelen aan taalmaatjes.")
    save_practice(data_of(practice, results="Eerste versie."), [], user, 1, practice=practice)
    with pytest.raises(StaleEdit, match="Someone else changed this"):
        save_practice(data_of(practice, results="Overschreven."), [], user, 1, practice=practice)
    practice.refresh_from_db()
    assert (practice.version, practice.results) == (2, "Eerste versie.")
    assert search("overschreven") == []


def test_an_edit_without_a_version_is_refused(add, user):
    practice = add("Taalmaatjes")
    with pytest.raises(StaleEdit):
        save_practice(data_of(practice), [], user, None, practice=practice)


def test_editing_a_deleted_practice_is_refused(add, user):
    practice = add("Taalmaatjes")
    delete_practice(practice, 1)
    with pytest.raises(StaleEdit, match="deleted by someone else"):
        save_practice(data_of(practice), [], user, 1, practice=practice)
    assert not Practice.objects.exists()


def test_a_practice_belongs_to_a_municipality_not_a_region(add):
    with pytest.raises(ValidationError) as raised:
        add("Regionaal", municipality=Area.objects.get(code="VR04"))
    assert "municipality" in raised.value.message_dict
    assert not Practice.objects.exists()


def test_the_practice_and_its_index_are_one_transaction(add, monkeypatch):
    def broken_index(practice):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(services, "index_practice", broken_index)
    with pytest.raises(RuntimeError):
        add("Taalmaatjes", themes=["care"])
    assert not Practice.objects.exists()
    assert not Practice.themes.through.objects.exists()


def test_delete_removes_the_practice_its_index_row_and_its_files(
    add, media, django_capture_on_commit_callbacks
):
    practice = add("Taalmaatjes")
    attachment = add_attachment(practice, SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    stored = media / attachment.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        delete_practice(practice, 1)
    assert not Practice.objects.exists()
    assert not Attachment.objects.exists()
    assert search("taalmaatjes") == []
    assert not stored.exists()


def test_delete_based_on_an_older_version_is_refused(add, user):
    practice = add("Taalmaatjes")
    save_practice(data_of(practice), [], user, 1, practice=practice)
    with pytest.raises(StaleEdit):
        delete_practice(practice, 1)
    assert Practice.objects.filter(pk=practice.pk).exists()
    assert search("taalmaatjes") == [practice]


def test_an_attachment_takes_its_file_name_unless_named(add, media):
    practice = add("Taalmaatjes")
    unnamed = add_attachment(practice, SimpleUploadedFile("evaluatie 2025.pdf", b"%PDF-1.4"))
    named = add_attachment(practice, SimpleUploadedFile("x.xlsx", b"PK"), "  Cijfers  ")
    assert unnamed.name == "evaluatie 2025.pdf"
    assert (named.name, named.download_name) == ("Cijfers", "Cijfers.xlsx")
    assert named.file.name.startswith("practices/")
    assert (media / named.file.name).read_bytes() == b"PK"


@pytest.mark.parametrize(
    ("name", "size", "problem"),
    [
        ("setup.exe", 10, "“exe” is not allowed"),
        ("notities", 10, "“” is not allowed"),
        ("groot.pdf", 10 * 1024 * 1024 + 1, "The file is 10.1 MB; an attachment may be at most 10 MB."),
    ],
)
def test_attachments_are_checked_for_extension_and_size(add, media, name, size, problem):
    practice = add("Taalmaatjes")
    with pytest.raises(ValidationError) as raised, translation.override("en"):
        add_attachment(practice, SimpleUploadedFile(name, b"x" * size))
    with translation.override("en"):
        assert any(problem in message for message in raised.value.messages)
    assert not Attachment.objects.exists()
    assert not any(media.rglob("*.*"))


def test_removing_an_attachment_deletes_its_file_after_the_commit(
    add, media, django_capture_on_commit_callbacks
):
    practice = add("Taalmaatjes")
    attachment = add_attachment(practice, SimpleUploadedFile("plan.pdf", b"%PDF-1.4"))
    stored = media / attachment.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delete_attachment(attachment)
    assert stored.exists()
    assert not Attachment.objects.exists()
    for callback in callbacks:
        callback()
    assert not stored.exists()
