"""Settings from the environment, each declared once with its meaning.

settings.py reads every environment variable through an `Environment`: the value is parsed (a clear error names a
bad one) and the declaration is kept, so that docs/configuration.md is generated from the same lines that read the
variables (`regietafel configuration-docs`) and cannot drift from them. No Django imports: settings.py uses this.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Variable:
    name: str
    section: str
    default: str  # as the documentation shows it
    meaning: str


class Environment:
    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = os.environ if environ is None else environ
        self.variables: dict[str, Variable] = {}
        # Variables are documented in the section that was current when they were read.
        self.section = "General"

    def _read(self, name: str, default, meaning: str, shown, parse: Callable[[str], object]):
        if name in self.variables:
            raise RuntimeError(f"{name} is declared twice.")
        self.variables[name] = Variable(
            name, self.section, _shown(default) if shown is None else shown, meaning
        )
        raw = self.environ.get(name)
        # Unset and empty are the same (a service file's `NAME=` line): the default.
        if raw is None or not raw.strip():
            return default
        try:
            return parse(raw.strip())
        except (ValueError, ArithmeticError, InvalidOperation):
            raise RuntimeError(f"{name}={raw!r} is not valid: {meaning}") from None

    def str(self, name: str, default: str, meaning: str, shown: str | None = None) -> str:
        return self._read(name, default, meaning, shown, str)

    def int(self, name: str, default: int, meaning: str, shown: str | None = None) -> int:
        return self._read(name, default, meaning, shown, int)

    def float(self, name: str, default: float, meaning: str, shown: str | None = None) -> float:
        return self._read(name, default, meaning, shown, float)

    def decimal(self, name: str, default: str, meaning: str, shown: str | None = None) -> Decimal:
        return self._read(name, Decimal(default), meaning, shown or f"`{default}`", Decimal)

    def fraction(self, name: str, default: str, meaning: str, shown: str | None = None) -> Fraction:
        return self._read(name, Fraction(default), meaning, shown or f"`{default}`", Fraction)

    def path(self, name: str, default: Path, meaning: str, shown: str) -> Path:
        return self._read(name, default, meaning, shown, Path)

    def bool(self, name: str, default: bool, meaning: str, shown: str | None = None) -> bool:
        return self._read(name, default, meaning, shown, _bool)

    def list(self, name: str, default: str, meaning: str, shown: str | None = None) -> list[str]:
        return self._read(
            name, _list(default), meaning, shown or (f"`{default}`" if default else "empty"), _list
        )

    def choice(
        self, name: str, default: str, choices: list[str], meaning: str, shown: str | None = None
    ) -> str:
        def parse(text: str) -> str:
            if text.lower() not in choices:
                raise ValueError(text)
            return text.lower()

        return self._read(name, default, meaning, shown, parse)

    def json(self, name: str, default: dict, meaning: str, shown: str | None = None) -> dict:
        def parse(text: str) -> dict:
            value = json.loads(text or "{}")
            if not isinstance(value, dict):
                raise ValueError(text)
            return value

        return self._read(name, default, meaning, shown, parse)

    def sections(self) -> dict[str, list[Variable]]:
        grouped: dict[str, list[Variable]] = {}
        for variable in self.variables.values():
            grouped.setdefault(variable.section, []).append(variable)
        return grouped


def _bool(text: str) -> bool:
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise ValueError(text)


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _shown(default) -> str:
    if isinstance(default, bool):
        return "on" if default else "off"
    if default == "" or default is None:
        return "empty"
    return f"`{default}`"


# docs/configuration.md marks where each section's table goes; the text around the tables is written by hand.
BEGIN = re.compile(r"<!-- variables: (?P<section>[^>]+?) -->\n.*?<!-- end of variables -->", re.DOTALL)


def table(variables: list[Variable]) -> str:
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [f"| `{v.name}` | {v.default} | {v.meaning} |" for v in variables]
    return "\n".join(lines)


def render(environment: Environment, document: str) -> str:
    """The document with every section's table written anew from the declarations."""
    sections = environment.sections()
    missing = set(sections) - {match["section"] for match in BEGIN.finditer(document)}
    if missing:
        raise ValueError(
            f"docs/configuration.md has no place for the section(s) {', '.join(sorted(missing))}."
        )

    def replace(match: re.Match) -> str:
        section = match["section"]
        if section not in sections:
            raise ValueError(
                f"docs/configuration.md has a section {section!r} that settings.py does not declare."
            )
        return f"<!-- variables: {section} -->\n{table(sections[section])}\n<!-- end of variables -->"

    return BEGIN.sub(replace, document)
