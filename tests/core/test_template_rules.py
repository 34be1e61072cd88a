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


# What a number column may print as it is: text (a label, a period, a version) or a value already formatted.
TEXT_IN_NUMBER_COLUMNS = re.compile(r"label|period|version|_display|fact\.value")


def test_every_number_in_a_number_column_is_grouped_as_dutch_writes_it():
    """A bare {{ number }} in a number column prints 13000 and 1362.00; |grouped prints 13.000 and 1.362,00 (issue 25:
    "€ 1362,00" and "10000" without thousands separators). A figure goes through {% figure %}."""
    bare = [
        f"{path.relative_to(ROOT)}: {variable}"
        for path in TEMPLATES
        for variable in re.findall(r'rt-num"[^>]*>\{\{ ([^}|]+?) \}\}', path.read_text(encoding="utf-8"))
        if not TEXT_IN_NUMBER_COLUMNS.search(variable)
    ]
    assert bare == []


def test_no_comment_runs_over_more_than_one_line():
    """Django's {# … #} ends on its own line; one that runs on is printed on the page (the monitor PDF printed one).
    A longer comment is a {% comment %} block."""
    open_comments = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert open_comments == []
