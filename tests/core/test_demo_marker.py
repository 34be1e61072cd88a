"""One demo marker, one word, everywhere: every template marks demo through ``{% demo_marker %}`` (or a figure,
which uses it), the letters through ``demo_marked``, and no text names an older marker ("vb", "voorbeelddata")."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from regietafel.core.figures import DEMO_MARKER
from regietafel.core.templatetags.regietafel import demo_marker
from regietafel.reports.letters import demo_marked

ROOT = Path(__file__).resolve().parents[2] / "src" / "regietafel"
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
OLD_MARKERS = re.compile(r"\bvb\b|voorbeelddata|\(voorbeeld\)", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_templates_mark_demo_only_through_the_one_tag(template):
    text = template.read_text(encoding="utf-8")
    assert "rt-demo-marker" not in text, "write {% demo_marker %} instead of the marker's markup"
    assert not OLD_MARKERS.search(text)


def test_no_translation_or_python_text_names_an_older_marker():
    dutch = [line for line in PO.read_text(encoding="utf-8").splitlines() if line.startswith(("msgstr", '"'))]
    assert [line for line in dutch if OLD_MARKERS.search(line)] == []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        assert not re.search(r"\(voorbeeld(data)?\)|\bvb\b", path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("language", ["nl", "en"])
def test_pages_and_letters_show_the_same_word(language):
    with translation.override(language):
        assert f">{DEMO_MARKER}</abbr>" in demo_marker()
        assert demo_marked("84").endswith(f"({DEMO_MARKER})")
        assert demo_marked("Het loopt achter.") == f"Het loopt achter ({DEMO_MARKER})."
        assert str(DEMO_MARKER) == "demo"
