"""The UI is Dutch: every message has a Dutch translation, and the compiled catalogue matches the source."""

import gettext
import re
from pathlib import Path

from django.utils import translation

import regietafel

LOCALE = Path(regietafel.__file__).parent / "locale" / "nl" / "LC_MESSAGES"


def unescape(text: str) -> str:
    """A PO string as the program sees it."""
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def entries(text: str) -> list[tuple[str, str, bool]]:
    result = []
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        if not msgid:
            continue
        joined = unescape("".join(re.findall(r'"(.*)"', msgid.group(1))))
        context = re.search(r'^msgctxt "(.*)"$', block, re.M)
        if context:
            # As gettext keys a message with a context (pgettext): the context, EOT, the message.
            joined = f"{unescape(context.group(1))}\x04{joined}"
        translated = all("".join(re.findall(r'"(.*)"', value)) for value in msgstrs)
        result.append((joined, translated, "#, fuzzy" in block))
    return result


def test_every_message_has_a_dutch_translation():
    catalogue = entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    messages = [entry for entry in catalogue if entry[0]]
    assert len(messages) > 300
    assert [msgid for msgid, translated, _ in messages if not translated] == []
    assert [msgid for msgid, _, fuzzy in messages if fuzzy] == []


def test_compiled_catalogue_matches_the_source():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    messages = [msgid for msgid, _, _ in entries((LOCALE / "django.po").read_text(encoding="utf-8")) if msgid]
    missing = [msgid for msgid in messages if msgid not in compiled and (msgid, 0) not in compiled]
    assert missing == [], "run 'make messages' to compile the catalogue"
    with translation.override("nl"):
        assert translation.gettext("Statutory target") == "Wettelijke taakstelling"
        assert translation.gettext("demo data") == "demogegevens"
    with translation.override("en"):
        assert translation.gettext("Statutory target") == "Statutory target"


def test_one_status_vocabulary():
    """Screens, letters, the public page and open data name a status with the same Dutch words (issue 25: the
    screens said "ernstig achter", letters and open data "ver achter")."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "ver achter" not in text
    with translation.override("nl"):
        assert translation.gettext("far behind") == "ernstig achter"
        assert translation.gettext("behind") == "achter"
        assert translation.gettext("on schedule") == "op schema"


DIRECTIVE = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])?")


def directives(text: str) -> list[str] | None:
    """The format directives of a Python %-string, or None when one is not valid (a bare '%' before a letter)."""
    found = []
    for match in DIRECTIVE.finditer(text):
        if match.group(2) is None:
            return None
        if match.group(2) != "%":
            found.append(f"{match.group(1) or ''}:{match.group(2)}")
    return sorted(found)


def test_every_formatted_message_keeps_its_placeholders():
    """A translation of a python-format message has the same placeholders, and no '%' that is not one: msgfmt
    refuses the catalogue otherwise, and "Achter onder (% van de norm)" was flagged so by "% of" in its msgid."""
    wrong = []
    for block in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n"):
        if "#, python-format" not in block and not re.search(r"^#,.* python-format", block, re.M):
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        original = directives(unescape("".join(re.findall(r'"(.*)"', msgid.group(1)))))
        for value in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M):
            translated = unescape("".join(re.findall(r'"(.*)"', value)))
            found = directives(translated)
            if found is None or original is None or (found != original and "msgid_plural" not in block):
                wrong.append(translated)
    assert wrong == []
