"""The installed version is in every page's footer, and CHANGELOG.md has a section for it."""

import tomllib

from django.conf import settings

PROJECT = settings.PROJECT_DIR


def declared_version() -> str:
    return tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_the_footer_shows_the_version(client, logged_in, dataset):
    for response in (client.get("/inloggen/"), logged_in.get("/")):
        assert f"Regietafel versie {declared_version()}" in response.content.decode()


def test_the_changelog_has_a_section_for_the_version():
    changelog = (PROJECT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {declared_version()} " in changelog
