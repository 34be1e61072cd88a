"""Rules every template keeps, read from the templates themselves (issue 25: the processing log's table scrolled
but the keyboard could not reach it)."""

import re
from pathlib import Path

import regietafel

ROOT = Path(regietafel.__file__).resolve().parent
TEMPLATES = sorted(ROOT.glob("**/templates/**/*.html"))


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 100


def test_every_scrolling_table_box_can_be_reached_by_keyboard():
    """A box that scrolls sideways needs tabindex="0" (WCAG 2.1.1, axe's scrollable-region-focusable)."""
    missing = [
        f"{path.relative_to(ROOT)}: {tag}"
        for path in TEMPLATES
        for tag in re.findall(r"<div[^>]*table-container[^>]*>", path.read_text(encoding="utf-8"))
        if 'tabindex="0"' not in tag
    ]
    assert missing == []
