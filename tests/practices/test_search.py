"""Full-text search: one interface, and the same answers on SQLite (FTS5) and PostgreSQL for the test set.

CI runs this file on both databases; every expectation here holds on both.
"""

import pytest
from django.db import connection

from regietafel.practices.models import Practice
from regietafel.practices.search import WORD, fold, search, words

# A query and the titles it must find. Sets: where ranks tie, the order may differ per database.
QUERIES = [
    ("coördinatie", {"Coördinatie van de opvang", "Buddy-programma statushouders"}),
    ("coordinatie", {"Coördinatie van de opvang", "Buddy-programma statushouders"}),
    ("COÖRDINATIE", {"Coördinatie van de opvang", "Buddy-programma statushouders"}),
    ("Oekraïne", {"Taalcafé voor nieuwkomers", "Gastgezinnen Oekraïense ontheemden"}),
    ("oekraine", {"Taalcafé voor nieuwkomers", "Gastgezinnen Oekraïense ontheemden"}),
    ("oekraiense", {"Gastgezinnen Oekraïense ontheemden"}),
    ("naieve", {"Kleinschalige AMV-opvang"}),
    ("taalcafe", {"Taalcafé voor nieuwkomers"}),
    ("café", {"Geldzaken in eigen taal"}),
    ("statushouders", {"Buddy-programma statushouders", "Werkgeversdag", "Flexwonen in leegstaande panden"}),
    ("Statushouders werkgevers", {"Werkgeversdag"}),
    ("werkgevers statushouders", {"Werkgeversdag"}),
    ("statushouders bibliotheek", set()),
    ("opvang", {"Coördinatie van de opvang", "Kleinschalige AMV-opvang"}),
    ("amv-opvang", {"Kleinschalige AMV-opvang"}),
    ("AMV opvang", {"Kleinschalige AMV-opvang"}),
    ("buddy programma", {"Buddy-programma statushouders"}),
    ("opvang zwolle", {"Coördinatie van de opvang"}),
    ("Nidos", {"Kleinschalige AMV-opvang"}),
    ("ontheemden", {"Taalcafé voor nieuwkomers", "Gastgezinnen Oekraïense ontheemden"}),
    ("2.5 uur", {"Geldzaken in eigen taal"}),
    ("voorbeeld", {"Geldzaken in eigen taal"}),
    ("info@voorbeeld.nl", {"Geldzaken in eigen taal"}),
    ("coa", {"Coördinatie van de opvang"}),
    # Whole words only: no prefixes, no stemming, so no language's rules can make the databases differ.
    ("werk", set()),
    ("loonkosten", set()),
    ("statushouder", set()),
    ("taal", {"Geldzaken in eigen taal"}),
    # Words the test set does not have.
    ("huisarts", set()),
]

# Input that is syntax to FTS5 or to PostgreSQL's tsquery must be taken as words, or as nothing.
NASTY = [
    ('"', set()),
    ("'", set()),
    ("*", set()),
    ("AND OR", set()),
    ("NOT statushouders", set()),
    ("statushouders*", {"Buddy-programma statushouders", "Werkgeversdag", "Flexwonen in leegstaande panden"}),
    ('"statushouders', {"Buddy-programma statushouders", "Werkgeversdag", "Flexwonen in leegstaande panden"}),
    ("NEAR(opvang nidos)", set()),
    ("title:opvang", set()),
    ("opvang & | ! <-> :*", {"Coördinatie van de opvang", "Kleinschalige AMV-opvang"}),
    ("()", set()),
    ("^nidos", {"Kleinschalige AMV-opvang"}),
    ("nidos -opvang", {"Kleinschalige AMV-opvang"}),
    ("%_\\", set()),
    ("nidos\x00", {"Kleinschalige AMV-opvang"}),
    ("🏠 nidos", {"Kleinschalige AMV-opvang"}),
    ("", set()),
    ("   ", set()),
    ("x" * 5000, set()),
    ("; DROP TABLE practices_practice; --", set()),
]


def titles(results) -> set[str]:
    return {practice.title for practice in results}


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_the_test_set_gives_the_same_results_on_every_database(test_set, query, expected):
    assert titles(search(query)) == expected


@pytest.mark.parametrize(("query", "expected"), NASTY)
def test_user_input_is_never_search_syntax(test_set, query, expected):
    assert titles(search(query)) == expected


def _document_words(practice: Practice) -> set[str]:
    return set(
        WORD.findall(fold(" ".join([practice.title, practice.problem, practice.approach, practice.results])))
    )


def test_every_word_of_the_test_set_finds_exactly_the_practices_that_contain_it(test_set):
    # The database answers as the rules in search.py say, for every word: then both databases agree.
    vocabulary = set().union(*(_document_words(practice) for practice in test_set.values()))
    assert len(vocabulary) > 100
    for word in sorted(vocabulary):
        expected = {title for title, practice in test_set.items() if word in _document_words(practice)}
        assert titles(search(word)) == expected, word


def test_a_word_in_the_title_ranks_above_a_word_in_the_text(test_set):
    results = search("statushouders")
    assert results[0].title == "Buddy-programma statushouders"
    assert results[0].score > results[1].score


def test_ties_are_ordered_by_title(add):
    for title in ["Zeta", "alfa", "Beta"]:
        add(title, approach="Gelijke tekst over mentoren.")
    assert [practice.title for practice in search("mentoren")] == ["alfa", "Beta", "Zeta"]


def test_search_stays_within_the_queryset(test_set):
    zwolle = Practice.objects.filter(municipality__code="GM0193")
    assert titles(search("statushouders", zwolle)) == {"Buddy-programma statushouders"}
    assert titles(search("statushouders", Practice.objects.none())) == set()


def test_the_queryset_keeps_its_prefetches(test_set, django_assert_num_queries):
    practices = Practice.objects.select_related("municipality").prefetch_related("themes")
    results = search("opvang", practices)
    with django_assert_num_queries(0):
        assert {p.municipality.name for p in results} == {"Zwolle", "Raalte"}
        assert {t.slug for p in results for t in p.themes.all()} == {"reception", "care"}


def test_only_sqlite_has_an_index_table_with_one_row_per_practice(test_set):
    has_table = "practices_practice_fts" in connection.introspection.table_names()
    assert has_table == (connection.vendor == "sqlite")
    if has_table:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM practices_practice_fts ORDER BY rowid")
            assert [row[0] for row in cursor.fetchall()] == sorted(p.pk for p in test_set.values())


def test_folding_removes_case_diacritics_and_punctuation():
    assert fold("Coördinatie") == "coordinatie"
    assert fold("OEKRAÏNE") == "oekraine"
    assert fold("Ærø, Łódź – café’s") == "æro  lodz   cafe s"
    assert words("buddy-programma Buddy programma") == ["buddy", "programma"]
    assert words("e\u0301e\u0301n") == ["een"]
    assert len(words(" ".join(f"woord{i}" for i in range(40)))) == 12
    assert words("x" * 101 + " nidos") == ["nidos"]
