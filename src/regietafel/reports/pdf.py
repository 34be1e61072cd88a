"""HTML to PDF with WeasyPrint, from the same templates as the web pages, without touching the network.

Only our own static files (found through Django's static file finders) and ``data:`` URIs are loaded; any other
address is refused, so a report renders the same inside a closed network. Fonts come from the system
(fontconfig); the print stylesheet names fonts that Debian ships.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative and root-relative links in the templates resolve against this address, which is never contacted.
BASE_URL = "https://regietafel.invalid/"


class StaticFilesOnly(URLFetcher):
    """Serve the project's static files; refuse everything else except data: URIs."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(static_prefix):
            raise ValueError(f"Refusing to fetch {url}: reports load only their own static files.")
        name = unquote(parts.path[len(static_prefix) :])
        path = None if ".." in name.split("/") else finders.find(name)
        if not path:
            raise ValueError(f"No static file {parts.path}.")
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": _content_type(path)})


def _content_type(path: str) -> str:
    for suffix, kind in ((".css", "text/css"), (".svg", "image/svg+xml"), (".png", "image/png")):
        if path.endswith(suffix):
            return kind
    return "application/octet-stream"


def _page_numbers() -> CSS:
    """ "Page 3 of 7" in the active language, in the bottom right margin of every page."""
    label, of = _("Page"), _("of")
    return CSS(
        string=f'@page {{ @bottom-right {{ content: "{label} " counter(page) " {of} " counter(pages) }} }}'
    )


def html_to_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly())
    return document.write_pdf(stylesheets=[_page_numbers()])


def render_pdf(template: str, context: dict) -> bytes:
    """Render a template (which extends ``reports/print.html``) to PDF bytes."""
    return html_to_pdf(render_to_string(template, context))
