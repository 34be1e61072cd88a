"""How sources are told apart: one source is cited one way, whatever the spelling of a re-import.

Two names are the same source when their keys are equal: case, accents' composed form, quotes, dashes, spacing and
trailing punctuation do not count. Two different keys that are nearly equal are a typing error until a person
says otherwise (``resembling``), so that "CBS StatLine 85984NED" and "CBS Statline 85984 NED." never become two
sources of one figure.
"""

import difflib
import re
import unicodedata

# Quotes and dashes as word processors type them, each as its plain form.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)
_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s.,;:]+$")

# Names this close (difflib's ratio of their keys) but not equal are refused as a second spelling of one source.
RESEMBLANCE = 0.9


def source_key(name: str) -> str:
    """The key under which a source's name is stored: equal keys are one source."""
    text = unicodedata.normalize("NFKC", name).translate(_PLAIN).casefold()
    text = _SPACE.sub(" ", text).strip()
    return _TRAILING.sub("", text)


def resembling(key: str, keys, cutoff: float = RESEMBLANCE) -> str | None:
    """The first of ``keys`` (other than ``key`` itself) that ``key`` resembles closely enough to be a misspelling."""
    best = None
    best_ratio = cutoff
    for other in keys:
        if other == key:
            continue
        matcher = difflib.SequenceMatcher(None, key, other, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio and (best is None or ratio > best_ratio):
            best, best_ratio = other, ratio
    return best
