"""Changes to conditions. Each function is one transaction and writes a history line per changed field.

Edits carry the version the user saw; when someone else saved in between, StaleEdit is raised and nothing is
written.
"""

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from regietafel.conditions.models import Condition, ConditionChange
from regietafel.core.models import Theme
from regietafel.core.versioning import locked
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

# The fields whose every change is kept in the history, in the order they are shown.
TRACKED = ("title", "theme", "status", "description", "what_we_ask", "owner", "owner_name", "region")
FOREIGN_KEYS = {"theme", "owner", "region"}


class ConditionError(ValueError):
    pass


def _text(value) -> str:
    """How a value is kept in the history: a related record by its name at the time."""
    return "" if value is None else str(value)


def _differs(condition: Condition, field: str, value) -> bool:
    if field in FOREIGN_KEYS:
        return getattr(condition, f"{field}_id") != (value.pk if value is not None else None)
    return getattr(condition, field) != value


def _check_status(status: str) -> None:
    if status not in Condition.Status.values:
        raise ConditionError(_("Unknown status %(status)s.") % {"status": status})


def _record(condition: Condition, changes: list[tuple[str, str, str]], user, note: str = "") -> None:
    ConditionChange.objects.bulk_create(
        ConditionChange(
            condition=condition,
            changed_by=user if user is not None and user.is_authenticated else None,
            field=field,
            old_value=old,
            new_value=new,
            note=note,
        )
        for field, old, new in changes
    )


def resolve_theme(theme: Theme | str) -> Theme:
    """The theme itself, or the theme with this name (any case), created when there is none yet."""
    if isinstance(theme, Theme):
        return theme
    name = " ".join(theme.split())
    if not name:
        raise ConditionError(_("Choose a theme or type the name of a new one."))
    existing = Theme.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    base = slugify(name)[:90] or "theme"
    slug, number = base, 2
    while Theme.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return Theme.objects.create(name=name, slug=slug)


def default_region() -> Area:
    region = Area.objects.regions().filter(code=settings.REGIETAFEL_DEFAULT_REGION).first()
    if region is None:
        raise ConditionError(
            _("The region %(code)s is not known; load the data set first.")
            % {"code": settings.REGIETAFEL_DEFAULT_REGION}
        )
    return region


@transaction.atomic
def save_condition(
    condition: Condition | None,
    *,
    title: str,
    theme: Theme | str,
    what_we_ask: str,
    description: str = "",
    status: str = Condition.Status.NOT_AGREED,
    owner: Organisation | None = None,
    owner_name: str = "",
    region: Area | None = None,
    version: int | None = None,
    user=None,
    is_demo: bool = False,
) -> Condition:
    """Create a condition (``condition`` None) or save an edit of one, with a history line per changed field.

    ``version`` is the version the user saw; a newer one in the database means a concurrent edit, which is
    refused rather than overwritten. A new theme name creates the theme. ``region`` defaults to the default
    region for a new condition and to its own region for an edit.
    """
    _check_status(status)
    values = {
        "title": title.strip(),
        "theme": resolve_theme(theme),
        "status": str(status),
        "description": description.strip(),
        "what_we_ask": what_we_ask.strip(),
        "owner": owner,
        "owner_name": owner_name.strip(),
    }
    if not values["title"] or not values["what_we_ask"]:
        raise ConditionError(_("A condition needs a title and what we ask of the state."))
    if condition is None:
        values["region"] = region or default_region()
        condition = Condition.objects.create(**values, is_demo=is_demo)
        _record(condition, [(f, "", _text(values[f])) for f in TRACKED if _text(values[f])], user)
        return condition
    current = locked(Condition, condition.pk, version)
    values["region"] = region or current.region
    changes = [
        (field, _text(getattr(current, field)), _text(values[field]))
        for field in TRACKED
        if _differs(current, field, values[field])
    ]
    if not changes:
        return current
    for field, value in values.items():
        setattr(current, field, value)
    current.version += 1
    current.save()
    _record(current, changes, user)
    return current


@transaction.atomic
def set_status(condition: Condition, status: str, user, version: int | None, note: str = "") -> Condition:
    """Change the status of a condition, with an optional note on why (for example the talks it came from).

    The same status with a note records the note, so a confirmed status keeps its reason in the history.
    """
    _check_status(status)
    current = locked(Condition, condition.pk, version)
    note = note.strip()
    if current.status == status and not note:
        return current
    old = current.status
    current.status = status
    current.version += 1
    current.save()
    _record(current, [("status", old, str(status))], user, note)
    return current
