import os
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from regietafel.access.models import Membership, Role
from regietafel.core.models import Theme
from regietafel.core.themes import ensure_themes
from regietafel.operations.dataset import load_dataset

# Playwright's sync API runs an event loop in this thread; the Django calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a-long-browser-password-1"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is needed for the browser journeys: run 'make test' (it installs it).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def site(transactional_db, live_server):
    # Live-server tests empty the database between tests, data migrations included.
    ensure_themes(Theme)
    load_dataset()
    call_command("load_demo")
    team = get_user_model().objects.create_user("programmateam", password=PASSWORD)
    Membership.objects.create(user=team, role=Role.ADMIN)
    return live_server
