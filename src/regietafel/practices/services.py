"""Changes to practices and their attachments. Each function is one transaction, and writes the search index
(``search.index_practice``) in the same transaction as the practice, so the two never disagree."""

import unicodedata
from collections.abc import Iterable
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import transaction

from regietafel.core.models import Theme
from regietafel.core.versioning import locked
from regietafel.practices.models import Attachment, Practice
from regietafel.practices.search import index_practice, unindex_practice

# Of the fields a user writes, the texts are kept in one Unicode form (so search finds them however they were typed);
# the themes are a set; the rest is written as given.
TEXT_FIELDS = ("title", "problem", "approach", "results", "contact")
OTHER_FIELDS = tuple(name for name in Practice.WRITABLE if name not in TEXT_FIELDS and name != "themes")


class PracticeError(ValueError):
    pass


def save_practice(
    data: dict,
    themes: Iterable[Theme],
    user,
    version: int | None = None,
    *,
    practice: Practice | None = None,
) -> Practice:
    """Create a practice, or change ``practice`` when given.

    ``version`` is the version the user saw; a newer one in the database means a concurrent edit, which is
    refused rather than overwritten. ``data`` holds the model fields by name (a form's cleaned data);
    ``is_demo`` is only read for a new practice.
    """
    with transaction.atomic():
        if practice is None:
            current = Practice(
                created_by=user if user is not None and user.is_authenticated else None,
                is_demo=bool(data.get("is_demo", False)),
                version=0,
            )
        else:
            current = locked(Practice, practice.pk, version)
        for field in TEXT_FIELDS:
            # One form of each accented letter, so the same word is found however it was typed.
            setattr(current, field, unicodedata.normalize("NFC", (data.get(field) or "").strip()))
        for field in OTHER_FIELDS:
            setattr(current, field, data.get(field))
        current.version += 1
        current.full_clean(exclude=["created_by"])
        current.save()
        current.themes.set(themes)
        index_practice(current)
    return current


@transaction.atomic
def delete_practice(practice: Practice, version: int | None) -> None:
    """Delete a practice with its attachments, unless it changed since the user saw ``version``."""
    current = locked(Practice, practice.pk, version)
    files = list(current.attachments.values_list("file", flat=True))
    pk = current.pk
    current.delete()
    unindex_practice(pk)
    _delete_files_after_commit(files)


@transaction.atomic
def add_attachment(practice: Practice, file, name: str = "") -> Attachment:
    """Attach an uploaded file; its extension and size are checked (``models.Attachment.file``)."""
    attachment = Attachment(
        practice=practice, file=file, name=(name.strip() or PurePath(file.name).name)[:200]
    )
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def delete_attachment(attachment: Attachment) -> None:
    deleted, _rows = Attachment.objects.filter(pk=attachment.pk).delete()
    if deleted:
        _delete_files_after_commit([attachment.file.name])


def _delete_files_after_commit(names: list[str]) -> None:
    # After the commit only: a rolled back delete must still find its files.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names if name])
