"""Full-text search over practices: PostgreSQL full text in production, SQLite FTS5 as the embedded default.

Both backends must find the same practices for the same query, so the rules that decide a match live here,
in Python, and not in either database's language support:

- text is folded the same way on both sides: Unicode NFC, lower case, Latin letters without their diacritics
  (coördinatie = coordinatie, Oekraïne = oekraine) and punctuation as a space (buddy-programma = buddy
  programma). Documents are folded in Python for SQLite (when the index row is written) and by the same
  table in SQL (``translate``) for PostgreSQL, which needs no extension such as unaccent;
- a query is split into words; a practice matches when it contains every word (AND), whole words only, no
  stemming ('simple' configuration on PostgreSQL, no stemmer in FTS5), so no language's rules differ;
- results are ranked best first: a word in the title weighs more than one in the text; ties go by title.

The SQLite index is the FTS5 table ``practices_practice_fts`` (migration 0002), one row per practice with the
practice's id as rowid, written by ``services`` in the transaction that writes the practice. PostgreSQL
computes the document from the practice's columns at query time; a library of practices is small.
"""

import re
import string
import unicodedata
from functools import reduce
from operator import add

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F, Func, TextField, Value

from regietafel.practices.models import Practice

# More words than this in one query are ignored: nobody types them, and each one is a clause.
MAX_WORDS = 12
# Longer "words" are ignored: PostgreSQL skips words over 2047 bytes, FTS5 does not.
MAX_WORD_LENGTH = 100
WORD = re.compile(r"[^\W_]+")
# PostgreSQL weights (A is the highest); SQLite weighs its two columns with bm25 below.
WEIGHTS = [("title", "A"), ("problem", "B"), ("approach", "B"), ("results", "C")]
FTS_COLUMN_WEIGHTS = (10.0, 1.0)
# Letters with a stroke have no Unicode decomposition, but readers take them for the plain letter.
STROKES = {"ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ħ": "h", "Ħ": "h", "ı": "i"}
FOLD_RANGES = [(0x80, 0x250), (0x2000, 0x2070), (0x20A0, 0x20C0)]


def _fold_table() -> dict[str, str]:
    """One character to one character, so PostgreSQL's ``translate`` can apply the same table."""
    table = {char: " " for char in string.punctuation}
    for start, end in FOLD_RANGES:
        for code in range(start, end):
            char = chr(code)
            category = unicodedata.category(char)
            if category[0] in "PSZ":
                table[char] = " "
                continue
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            if len(base) == 1 and base != char and base.isascii() and base.isalnum():
                table[char] = base.lower()
    table.update(STROKES)
    return table


FOLD = _fold_table()
FOLD_FROM = "".join(FOLD)
FOLD_TO = "".join(FOLD.values())
_TRANSLATION = str.maketrans(FOLD)


def fold(text: str) -> str:
    """Lower case, without diacritics, punctuation as a space: the form both backends compare."""
    return unicodedata.normalize("NFC", text).translate(_TRANSLATION).lower()


def words(query: str) -> list[str]:
    """The words of a query, folded, each once, at most MAX_WORDS."""
    found = (word for word in WORD.findall(fold(query)) if len(word) <= MAX_WORD_LENGTH)
    return list(dict.fromkeys(found))[:MAX_WORDS]


def search(query: str, queryset=None) -> list[Practice]:
    """Practices (of ``queryset``, default all) that contain every word of ``query``, best first."""
    if queryset is None:
        queryset = Practice.objects.all()
    terms = words(query)
    if not terms:
        return []
    try:
        backend = BACKENDS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Practice search supports PostgreSQL and SQLite, not {connection.vendor}."
        ) from None
    return sorted(backend(terms, queryset), key=lambda practice: (-practice.score, *title_key(practice)))


def title_key(practice: Practice) -> tuple[str, int]:
    """Alphabetical by title, the same on every database (collations differ on case and diacritics)."""
    return fold(practice.title), practice.pk


# SQLite ------------------------------------------------------------------------------------------


def _fts_expression(terms: list[str]) -> str:
    # Every word as an FTS5 string: whatever the user typed (", *, AND, NEAR) is a word to find, not syntax.
    return " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)


def _search_sqlite(terms: list[str], queryset) -> list[Practice]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, bm25(practices_practice_fts, %s, %s) FROM practices_practice_fts "
            "WHERE practices_practice_fts MATCH %s",
            [*FTS_COLUMN_WEIGHTS, _fts_expression(terms)],
        )
        # bm25 is lower for a better match; a score is higher for a better one.
        scores = {rowid: -rank for rowid, rank in cursor.fetchall()}
    practices = list(queryset.filter(pk__in=scores))
    for practice in practices:
        practice.score = scores[practice.pk]
    return practices


def index_practice(practice: Practice) -> None:
    """Write the practice's row in the SQLite index. Call inside the transaction that saves the practice."""
    if connection.vendor != "sqlite":
        return
    body = "\n".join([practice.problem, practice.approach, practice.results])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM practices_practice_fts WHERE rowid = %s", [practice.pk])
        cursor.execute(
            "INSERT INTO practices_practice_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [practice.pk, fold(practice.title), fold(body)],
        )


def unindex_practice(pk: int) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM practices_practice_fts WHERE rowid = %s", [pk])


# PostgreSQL --------------------------------------------------------------------------------------


def _folded(field: str) -> Func:
    # The table maps capitals with a diacritic to plain lower case; to_tsvector lowers the rest.
    return Func(
        F(field),
        Value(FOLD_FROM),
        Value(FOLD_TO),
        function="TRANSLATE",
        output_field=TextField(),
    )


def _search_postgresql(terms: list[str], queryset) -> list[Practice]:
    vector = reduce(
        add, (SearchVector(_folded(field), config="simple", weight=weight) for field, weight in WEIGHTS)
    )
    query = SearchQuery(" ".join(terms), config="simple", search_type="plain")
    return list(
        queryset.annotate(document=vector)
        .filter(document=query)
        .annotate(score=SearchRank(F("document"), query))
    )


BACKENDS = {"sqlite": _search_sqlite, "postgresql": _search_postgresql}
