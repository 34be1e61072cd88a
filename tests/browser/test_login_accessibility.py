"""WCAG 2.1 A/AA (axe-core) on the login pages: password, errors, single sign-on, lock-out, two-factor."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from regietafel.access.models import Membership, Role
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

PASSWORD = "a-long-browser-password-1"


@pytest.fixture
def login_site(transactional_db, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # many logins, quickly
    user = get_user_model().objects.create_user("medewerker", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.ADMIN)
    return live_server


def submit(page, username, password):
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()


def check(page, found: dict, name: str) -> None:
    if problems := violations(page):
        found[name] = problems


def test_the_login_pages_have_no_wcag_violations(page, login_site, settings):
    found = {}
    page.goto(f"{login_site.url}/inloggen/")
    check(page, found, "login")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_username_error")).to_be_visible()
    check(page, found, "login with errors")
    submit(page, "medewerker", "wrong-password")
    expect(page.locator("[role=alert]")).to_be_visible()
    check(page, found, "wrong password")

    settings.REGIETAFEL_OIDC_ENABLED = True
    page.goto(f"{login_site.url}/inloggen/")
    expect(page.get_by_role("link", name=re.compile("single sign-on|SSO", re.IGNORECASE))).to_be_visible()
    check(page, found, "login with single sign-on")
    settings.REGIETAFEL_OIDC_ENABLED = False

    for attempt in range(10):
        page.goto(f"{login_site.url}/inloggen/")
        submit(page, "iemand", f"wrong-{attempt}")
    expect(page.locator("h1")).not_to_have_text(re.compile("Log in|Inloggen bij"))
    expect(page.locator("main [role=alert]")).to_be_visible()
    check(page, found, "locked out")
    assert found == {}, json.dumps(found, indent=1)


def test_the_two_factor_pages_have_no_wcag_violations(page, login_site, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    found = {}
    page.goto(f"{login_site.url}/inloggen/")
    submit(page, "medewerker", PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/inloggen/"))

    page.goto(f"{login_site.url}/account/tweestapsverificatie/")
    expect(page.locator("svg[role=img]")).to_be_visible()
    check(page, found, "set up")
    page.fill("#id_code", "000000")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_code_error")).to_be_visible()
    check(page, found, "set up with a wrong code")

    # With two-factor login on: the page to turn it off, and the code step of the login.
    TOTPDevice.objects.filter(user__username="medewerker").update(confirmed=True)
    page.goto(f"{login_site.url}/account/tweestapsverificatie/")
    check(page, found, "turn off")
    page.context.clear_cookies()
    page.goto(f"{login_site.url}/inloggen/")
    submit(page, "medewerker", PASSWORD)
    expect(page).to_have_url(re.compile(r"/inloggen/code/"))
    check(page, found, "code step")
    page.fill("#id_code", "000000")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_code_error")).to_be_visible()
    check(page, found, "code step with a wrong code")
    assert found == {}, json.dumps(found, indent=1)
