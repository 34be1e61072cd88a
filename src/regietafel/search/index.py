"""One search over the table's work and the partners, through the same access path as the pages.

What is searched is listed in ``KINDS``: bodies, forums, meetings, agenda items, decisions, actions, referrals, documents (by name),
conditions, practices and partners. Households and other person-level data are never indexed, so no search can
show them. The matching rules are the practices' (``regietafel.practices.search``): text folded the same way on
both databases, every word must occur (whole words, no stemming), a word in the title weighs more.

SQLite keeps an FTS5 table ``search_fts`` (migration 0001), one row per object, written by signals in the
transaction that saves the object; ``regietafel reindex`` rebuilds it. PostgreSQL computes each kind's documents at
query time (full text, 'simple' configuration): the table's records are few.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import add

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regietafel.access.scope import restrict
from regietafel.practices.search import FTS_COLUMN_WEIGHTS, _folded, _fts_expression, fold, words

TABLE = "search_fts"
RESULTS_PER_KIND = 50


@dataclass(frozen=True)
class Kind:
    label: str  # app_label.Model
    name: object  # shown with each result
    title: str  # the field that is the result's title
    body: tuple[str, ...]  # fields searched besides the title
    url: Callable[[Model], str]

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)


KINDS = [
    Kind(
        "meetings.Body",
        _("Body"),
        "name",
        ("description",),
        lambda o: reverse("meetings:body", args=[o.pk]),
    ),
    Kind(
        "meetings.Forum",
        _("Forum"),
        "name",
        ("theme", "contact", "description"),
        lambda o: reverse("meetings:forums") + f"#overleg-{o.pk}",
    ),
    Kind(
        "meetings.Meeting",
        _("Meeting"),
        "title",
        ("place", "participants", "minutes"),
        lambda o: reverse("meetings:detail", args=[o.pk]),
    ),
    Kind(
        "meetings.AgendaItem",
        _("Agenda item"),
        "title",
        ("description",),
        lambda o: reverse("meetings:detail", args=[o.meeting_id]),
    ),
    Kind(
        "meetings.Decision",
        _("Decision"),
        "text",
        (),
        lambda o: reverse("meetings:detail", args=[o.agenda_item.meeting_id]),
    ),
    Kind("meetings.Action", _("Action"), "title", (), lambda o: reverse("meetings:action", args=[o.pk])),
    Kind(
        "meetings.Referral",
        _("Referral"),
        "title",
        ("question", "answer"),
        lambda o: reverse("meetings:referral", args=[o.pk]),
    ),
    Kind(
        "meetings.Document",
        _("Document"),
        "name",
        (),
        lambda o: reverse("meetings:detail", args=[o.agenda_item.meeting_id]),
    ),
    Kind(
        "conditions.Condition",
        _("Condition"),
        "title",
        ("description", "what_we_ask"),
        lambda o: reverse("conditions:detail", args=[o.pk]),
    ),
    Kind(
        "practices.Practice",
        _("Practice"),
        "title",
        ("problem", "approach", "results"),
        lambda o: reverse("practices:detail", args=[o.pk]),
    ),
    Kind(
        "organisations.Organisation",
        _("Partner"),
        "name",
        ("description",),
        lambda o: reverse("organisations:detail", args=[o.pk]),
    ),
]
BY_LABEL = {kind.label: kind for kind in KINDS}


def _text(instance, fields) -> str:
    return "\n".join(str(getattr(instance, name) or "") for name in fields)


# SQLite: the index table ---------------------------------------------------------------------------------------


def write(label: str, instance) -> None:
    """The object's row in the SQLite index (in the caller's transaction)."""
    kind = BY_LABEL[label]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE kind = %s AND object_id = %s", [label, instance.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {TABLE} (kind, object_id, title, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [label, instance.pk, fold(_text(instance, [kind.title])), fold(_text(instance, kind.body))],
        )


def remove(label: str, pk) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE kind = %s AND object_id = %s", [label, pk])  # noqa: S608


def rebuild(get_model=apps.get_model) -> int:
    """Write the whole index again from the records (``get_model``: a migration's historical models)."""
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    count = 0
    for kind in KINDS:
        for instance in get_model(kind.label).objects.all():
            write(kind.label, instance)
            count += 1
    return count


def _saved(sender, instance, raw=False, **kwargs):
    if connection.vendor == "sqlite" and not raw:
        write(sender._meta.label, instance)


def _deleted(sender, instance, **kwargs):
    if connection.vendor == "sqlite":
        remove(sender._meta.label, instance.pk)


def connect() -> None:
    for kind in KINDS:
        post_save.connect(_saved, sender=kind.label, dispatch_uid=f"search-save-{kind.label}")
        post_delete.connect(_deleted, sender=kind.label, dispatch_uid=f"search-delete-{kind.label}")


def _sqlite(terms: list[str]) -> dict[str, dict[int, float]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, object_id, bm25({TABLE}, 0, 0, %s, %s) FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
            [
                *FTS_COLUMN_WEIGHTS,
                _fts_expression(terms),
            ],  # kind and object_id are not indexed: never matched
        )
        found: dict[str, dict[int, float]] = {}
        for label, pk, rank in cursor.fetchall():
            found.setdefault(label, {})[int(pk)] = -rank
    return found


# PostgreSQL: documents at query time ------------------------------------------------------------------------


def _postgresql(kind: Kind, terms: list[str], queryset):
    vector = reduce(
        add,
        [SearchVector(_folded(kind.title), config="simple", weight="A")]
        + [SearchVector(_folded(field), config="simple", weight="B") for field in kind.body],
    )
    query = SearchQuery(" ".join(terms), config="simple", search_type="plain")
    return (
        queryset.annotate(document=vector)
        .filter(document=query)
        .annotate(score=SearchRank(F("document"), query))
    )


# The search ---------------------------------------------------------------------------------------------------


@dataclass
class Result:
    kind: Kind
    object: Model
    score: float

    @property
    def title(self) -> str:
        return str(getattr(self.object, self.kind.title))

    @property
    def url(self) -> str:
        return self.kind.url(self.object)


def search(query: str, user) -> list[Result]:
    """What ``user`` may see that contains every word of ``query``, best first."""
    terms = words(query)
    if not terms:
        return []
    found = _sqlite(terms) if connection.vendor == "sqlite" else None
    results = []
    for kind in KINDS:
        visible = restrict(kind.model.objects.all(), user)
        if found is not None:
            scores = found.get(kind.label, {})
            objects = [(item, scores[item.pk]) for item in visible.filter(pk__in=scores)[:RESULTS_PER_KIND]]
        else:
            objects = [(item, item.score) for item in _postgresql(kind, terms, visible)[:RESULTS_PER_KIND]]
        results += [Result(kind, item, score) for item, score in objects]
    return sorted(
        results, key=lambda result: (-result.score, fold(result.title), result.kind.label, result.object.pk)
    )
