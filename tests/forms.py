"""Forms as a browser sees them: the POST forms of a page's HTML, their address and fields, and the values worth
trying in each field. Used by the class tests that post every form of every page (robustness, scope, versions)."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

FORM = re.compile(r'<form[^>]*method="post"[^>]*>.*?</form>', re.S | re.I)
ACTION = re.compile(r'<form[^>]*action="([^"]*)"', re.I)
PLAUSIBLE = {"date": "2026-12-31", "number": "5", "email": "team@example.nl", "url": "https://example.nl"}


class FormFields(HTMLParser):
    """Every field of a form with the values worth trying: each option of a choice, on and off for a box, a
    plausible value for text (``text``). Disabled fields are included: a browser does not send them, an attacker
    does. The first value of each field is the form as a browser would send it filled in plainly."""

    def __init__(self, text: str = "Formuliertest"):
        super().__init__()
        self.text = text
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                self.values.setdefault(name, []).append(attrs.get("value") or "on")
            else:
                self.values.setdefault(name, [attrs.get("value") or PLAUSIBLE.get(kind, self.text)])
        elif tag == "textarea" and name:
            self.values.setdefault(name, [self.text])
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and attrs.get("value"):
            self.values[self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    @property
    def plain(self) -> dict[str, str]:
        """The form filled in plainly: each field's first value."""
        return {name: options[0] for name, options in self.values.items() if options}


def page_forms(html: str, url: str, text: str = "Formuliertest") -> list[tuple[str, FormFields]]:
    """The page's POST forms (not the header's language and logout forms): their address and fields."""
    found = []
    for form in FORM.findall(html):
        action = ACTION.search(form)
        target = action.group(1) if action and action.group(1) else url
        if target.startswith(("/i18n/", "/uitloggen")):
            continue
        parser = FormFields(text)
        parser.feed(form)
        found.append((urlsplit(target).path or url, parser))
    return found


def api_writes(document: dict) -> list[tuple[str, str, dict | None]]:
    """Every write of an OpenAPI document: method, address (the server's path and the operation's) and the schema
    of its JSON body."""
    writes = []
    server = urlsplit(document["servers"][0]["url"]).path
    for relative, operations in document["paths"].items():
        path = server + relative
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
                writes.append((method, path, body.get("schema")))
    return writes


def resolved(document: dict, schema: dict | None) -> dict:
    """A schema with its ``$ref`` followed."""
    if schema is None:
        return {}
    if "$ref" in schema:
        return resolved(document, document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    return schema
