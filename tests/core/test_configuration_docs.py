"""docs/configuration.md names every environment variable the settings read: a new setting without a line there
fails here."""

import re

from django.conf import settings

SETTINGS = settings.PACKAGE_DIR / "settings.py"
DOCS = settings.PROJECT_DIR / "docs" / "configuration.md"
READ = re.compile(r'(?:os\.environ\.get|os\.environ\[|envbool|envlist)\(?\s*"([A-Z][A-Z0-9_]+)"')


def test_every_environment_variable_of_the_settings_is_documented():
    names = set(READ.findall(SETTINGS.read_text(encoding="utf-8")))
    assert len(names) > 40, names  # the pattern still finds how the settings read the environment
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", DOCS.read_text(encoding="utf-8")))
    assert sorted(names - documented) == []
