"""How sources are told apart (``domain.sources``): properties over any name."""

import difflib

from hypothesis import given
from hypothesis import strategies as st

from regietafel.domain.sources import RESEMBLANCE, resembling, source_key

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=80)
words = st.lists(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10), min_size=1, max_size=8
)


@given(names)
def test_a_key_is_its_own_key(name):
    assert source_key(source_key(name)) == source_key(name)


@given(words, st.sampled_from(["", ".", ",", " ;", " . "]))
def test_case_spacing_quotes_and_a_trailing_stop_do_not_make_another_source(parts, tail):
    name = "Gemeente 'x' " + " ".join(parts)
    respelled = "  " + name.upper().replace(" ", "   ").replace("'", "\u2019") + tail
    assert source_key(respelled) == source_key(name)


@given(words, words)
def test_different_words_make_different_sources(first, second):
    if first != second:
        assert source_key(" ".join(first)) != source_key(" ".join(second))


@given(words)
def test_one_letter_less_in_a_long_name_resembles_the_name(parts):
    key = source_key("Rijksoverheid, nieuwsbericht over de taakstelling " + " ".join(parts))
    typo = key[:10] + key[11:]
    assert resembling(typo, [key, "cbs statline 70072ned"]) == key


@given(st.lists(names, max_size=6), names)
def test_a_name_never_resembles_itself_and_a_match_is_close(others, name):
    key = source_key(name)
    keys = [source_key(other) for other in others] + [key]
    found = resembling(key, keys)
    assert found != key
    if found is not None:
        assert difflib.SequenceMatcher(None, key, found, autojunk=False).ratio() >= RESEMBLANCE


def test_two_tables_of_one_publisher_are_not_one_source():
    keys = [source_key("CBS StatLine 70072ned"), source_key("CBS StatLine 85984NED")]
    assert resembling(source_key("CBS StatLine 37296ned"), keys) is None
    assert resembling(source_key("CBS StatLine 03759ned"), keys) is None
