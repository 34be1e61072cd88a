"""Every table sits in a container a keyboard user can reach and scroll (WCAG 2.1.1; axe scrollable-region-focusable):
a wide table (the national numbers since 2019, the monitor with its published targets) scrolls sideways."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "regietafel" / "templates"
CONTAINER = re.compile(r"<div[^>]*utrecht-table-container[^>]*>")


@pytest.mark.parametrize(
    "template",
    sorted(path for path in TEMPLATES.rglob("*.html") if CONTAINER.search(path.read_text(encoding="utf-8"))),
    ids=lambda path: str(path.relative_to(TEMPLATES)),
)
def test_every_table_container_takes_the_keyboard_focus(template):
    for container in CONTAINER.findall(template.read_text(encoding="utf-8")):
        assert 'tabindex="0"' in container, container
