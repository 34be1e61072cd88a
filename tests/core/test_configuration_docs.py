"""docs/configuration.md is generated from the settings: a variable read without its meaning, or a table that differs
from the declarations, fails here."""

import ast
import importlib
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from regietafel.conf import Environment, render

SETTINGS = settings.PACKAGE_DIR / "settings.py"
DOCS = settings.PROJECT_DIR / "docs" / "configuration.md"


def test_the_documentation_matches_the_settings():
    call_command("configuration_docs", "--check")
    declared = importlib.import_module("regietafel.settings").env.variables
    documented = set(
        re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert len(declared) > 45
    assert documented == set(declared)


def test_the_check_fails_when_a_table_is_edited_by_hand(tmp_path, monkeypatch):
    edited = tmp_path / "configuration.md"
    edited.write_text(
        DOCS.read_text(encoding="utf-8").replace("| `IMPORT_MAX_ROWS` | `100000`", "| `X` | `1`")
    )
    monkeypatch.setattr("regietafel.core.management.commands.configuration_docs.DOCUMENT", edited)
    with pytest.raises(CommandError, match="differs from settings.py"):
        call_command("configuration_docs", "--check")
    call_command("configuration_docs")
    assert edited.read_text(encoding="utf-8") == DOCS.read_text(encoding="utf-8")


def test_the_settings_read_the_environment_only_through_the_declarations():
    tree = ast.parse(SETTINGS.read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert "os" not in names and "environ" not in attributes and "getenv" not in attributes


def test_values_are_parsed_and_a_bad_one_is_named():
    env = Environment(
        {
            "A": " yes ",
            "B": "3",
            "C": "1.5",
            "D": "9/10",
            "E": "477.20",
            "F": "a, b,,c",
            "G": "maybe",
            "H": "x",
        }
    )
    assert env.bool("A", False, "a flag") is True
    assert env.int("B", 1, "a count") == 3
    assert env.float("C", 1, "hours") == 1.5
    assert env.fraction("D", "1/2", "a share") == Fraction(9, 10)
    assert env.decimal("E", "1", "an amount") == Decimal("477.20")
    assert env.list("F", "", "names") == ["a", "b", "c"]
    assert env.str("MISSING", "default", "text") == "default"
    with pytest.raises(RuntimeError, match=r"G='maybe' is not valid: a flag"):
        env.bool("G", False, "a flag")
    with pytest.raises(RuntimeError, match=r"H='x' is not valid: a count"):
        env.int("H", 1, "a count")
    with pytest.raises(RuntimeError, match="declared twice"):
        env.int("B", 1, "a count")


def test_tables_are_written_per_section_and_every_section_needs_a_place():
    env = Environment({})
    env.str("ONE", "", "the first")
    env.section = "Other"
    env.bool("TWO", True, "the second", shown="on in production")
    document = "<!-- variables: General -->\nold\n<!-- end of variables -->\n<!-- variables: Other -->\n<!-- end of variables -->\n"
    assert render(env, document) == (
        "<!-- variables: General -->\n| variable | default | meaning |\n|---|---|---|\n| `ONE` | empty | the first |\n"
        "<!-- end of variables -->\n<!-- variables: Other -->\n| variable | default | meaning |\n|---|---|---|\n"
        "| `TWO` | on in production | the second |\n<!-- end of variables -->\n"
    )
    with pytest.raises(ValueError, match="no place for the section"):
        render(env, document.split("<!-- variables: Other")[0])
