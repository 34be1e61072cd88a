"""The contract of `regietafel export-agreements --status not-agreed --out FILE.docx`."""

import io

import docx
import pytest
from django.core.management import CommandError, call_command

from regietafel.__main__ import main
from regietafel.conditions.models import Condition

NOT_AGREED = Condition.Status.NOT_AGREED


@pytest.fixture
def conditions(add):
    add("Structurele financiering", "finance", NOT_AGREED)
    add("GGZ bij opvanglocaties", "care", NOT_AGREED)
    add("Werken vanaf de eerste maand", "participation", Condition.Status.AGREED)
    add("Voorinburgering in het azc", "pre-integration", Condition.Status.PILOT_REQUESTED)


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_agreements", *args, stdout=out)
    return out.getvalue()


def headings(path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs if p.style.name == "Heading 2"]


def test_the_not_agreed_package_is_written_and_the_path_and_count_printed(conditions, tmp_path):
    path = tmp_path / "pakket.docx"

    output = export("--status", "not-agreed", "--out", str(path))

    assert headings(path) == ["Structurele financiering", "GGZ bij opvanglocaties"]
    assert str(path) in output
    assert "2 randvoorwaarden" in output


def test_not_agreed_is_the_default(conditions, tmp_path):
    path = tmp_path / "pakket.docx"
    export("--out", str(path))
    assert headings(path) == ["Structurele financiering", "GGZ bij opvanglocaties"]


@pytest.mark.parametrize(
    ("status", "titles"),
    [
        ("agreed", ["Werken vanaf de eerste maand"]),
        ("pilot-requested", ["Voorinburgering in het azc"]),
        (
            "all",
            [
                "Structurele financiering",
                "Werken vanaf de eerste maand",
                "Voorinburgering in het azc",
                "GGZ bij opvanglocaties",
            ],
        ),
    ],
)
def test_other_statuses(conditions, tmp_path, status, titles):
    path = tmp_path / f"{status}.docx"
    output = export("--status", status, "--out", str(path), "--region", "VR04")
    assert headings(path) == titles
    assert f"{len(titles)} randvoorwaarde" in output


def test_the_console_script_maps_the_hyphenated_command_name(conditions, tmp_path, monkeypatch, capsys):
    path = tmp_path / "nog-niet-akkoord.docx"
    monkeypatch.setattr(
        "sys.argv", ["regietafel", "export-agreements", "--status", "not-agreed", "--out", str(path)]
    )

    main()

    assert headings(path) == ["Structurele financiering", "GGZ bij opvanglocaties"]
    assert str(path) in capsys.readouterr().out


@pytest.mark.parametrize("status", ["not_agreed", "akkoord", ""])
def test_a_bad_status_is_refused_and_nothing_written(conditions, tmp_path, status):
    path = tmp_path / "pakket.docx"
    with pytest.raises(CommandError, match="--status"):
        export("--status", status, "--out", str(path))
    assert not path.exists()


def test_an_unwritable_path_is_a_clear_error(conditions, tmp_path):
    with pytest.raises(CommandError, match="--out"):
        export("--out", str(tmp_path / "missing" / "pakket.docx"))
    with pytest.raises(CommandError, match="--out"):
        export("--out", str(tmp_path))


def test_an_unknown_region_is_refused(conditions, tmp_path):
    path = tmp_path / "pakket.docx"
    with pytest.raises(CommandError, match="--region"):
        export("--out", str(path), "--region", "VR99")
    assert not path.exists()
