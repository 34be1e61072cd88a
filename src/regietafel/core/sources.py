"""Citing a source: every writer of a sourced figure (imports, the demo, the pipeline) finds its source here."""

import contextlib
from contextvars import ContextVar

from django.apps import apps
from django.db import IntegrityError, transaction

from regietafel.core.figures import DEMO_SOURCE_PREFIX
from regietafel.core.models import Confidence, Source, SourcedFigure
from regietafel.domain.sources import resembling, source_key

# The sources found so far by ``cite`` within ``citing()`` (one import's writes): a file of 100,000 rows citing one
# source asks the database once, not once per row.
_FOUND: ContextVar[dict[object, Source] | None] = ContextVar("regietafel_sources_found", default=None)


@contextlib.contextmanager
def citing():
    """Within this block (one transaction of writes), ``cite`` remembers the sources it found."""
    token = _FOUND.set({})
    try:
        yield
    finally:
        _FOUND.reset(token)


def cite(name: str | Source, confidence: str | None = None) -> Source:
    """The source called ``name`` (whatever its spelling: see ``domain.sources``), added when it is new.

    A new source takes ``confidence`` (medium when not given). An existing one keeps its own: how sure a source is
    belongs to the source, and it is changed on the source, not by a figure that cites it."""
    if isinstance(name, Source):
        return name
    remembered = _FOUND.get()
    written = ("as written", name)  # a file cites a source the same way in every row
    if remembered is not None and written in remembered:
        return remembered[written]
    name = " ".join(name.split())
    key = source_key(name)
    if not key:
        raise ValueError("A figure cites a source by its name; the name is empty.")
    if remembered is not None and key in remembered:
        remembered[written] = remembered[key]
        return remembered[key]
    found = Source.objects.filter(key=key).first()
    if found is None:
        try:
            with transaction.atomic():
                found = Source.objects.create(name=name, confidence=confidence or Confidence.MEDIUM)
        except IntegrityError:
            # Added meanwhile by another writer.
            found = Source.objects.get(key=key)
    if remembered is not None:
        remembered[key] = remembered[written] = found
    return found


# Where a file's row forms keep the file's ``Sources`` (``RowForm.pending``).
SOURCES_KEY = ("sources", "known")


def sourced_models() -> list[type[SourcedFigure]]:
    """Every table of figures that point to a source."""
    return sorted(
        (model for model in apps.get_models() if issubclass(model, SourcedFigure)),
        key=lambda model: model._meta.label,
    )


def remove_uncited_demo_sources() -> int:
    """Delete the demo data's own sources once no figure cites them (``regietafel load-demo --remove``)."""
    cited = set()
    for model in sourced_models():
        cited |= set(model._base_manager.values_list("source_id", flat=True).distinct())
    return Source.objects.filter(name__startswith=DEMO_SOURCE_PREFIX).exclude(pk__in=cited).delete()[0]


class Sources:
    """The sources an import file may cite, read once per file: which name a row's source stands for, and whether
    a new name is a misspelling of a known one."""

    @classmethod
    def of(cls, pending: dict) -> "Sources":
        """The file's sources, kept in the row forms' shared ``pending`` (read once per file)."""
        if SOURCES_KEY not in pending:
            pending[SOURCES_KEY] = cls()
        return pending[SOURCES_KEY]

    def __init__(self) -> None:
        self.by_key = {source.key: source for source in Source.objects.all()}
        # Names earlier rows of the file introduce, by key: later rows cite them the same way.
        self.new: dict[str, tuple[str, str]] = {}

    def known(self, name: str) -> Source | None:
        return self.by_key.get(source_key(name))

    def resembles(self, name: str) -> str | None:
        """The known name a new ``name`` is too close to, if any."""
        key = source_key(name)
        if key in self.by_key or key in self.new:
            return None
        other = resembling(key, [*self.by_key, *self.new])
        if other is None:
            return None
        return self.by_key[other].name if other in self.by_key else self.new[other][0]

    def introduced(self) -> list[tuple[str, str]]:
        """The new sources the file cites, with their confidence, in the order it cites them."""
        return list(self.new.values())

    def first(self, name: str) -> tuple[str, str] | None:
        """A new source as an earlier row of the file introduced it (name and confidence), if one did."""
        return self.new.get(source_key(name))

    def introduce(self, name: str, confidence: str) -> tuple[str, str]:
        """A new source's name and confidence as the file's first row citing it gave them."""
        return self.new.setdefault(source_key(name), (" ".join(name.split()), confidence))
