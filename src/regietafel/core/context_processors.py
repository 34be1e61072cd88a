"""Context every page has."""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

try:
    VERSION = package_version("regietafel")
except PackageNotFoundError:  # run from a checkout that was not installed
    VERSION = "?"


def version(request):
    """The installed version, shown in the footer (see CHANGELOG.md)."""
    return {"regietafel_version": VERSION}
