"""No personal data or secrets in the application log.

The test plants sentinel values (a user name, an e-mail address, a password, a V-number and the secret key),
walks through what puts request data near the log (failed and successful logins, a lock-out, a page and a 404
with the sentinels in the query string, a 500 whose exception text carries them, a database error about a
duplicate user name) and then reads two things: every record at DEBUG on the root logger as its message, and the
text the configured log handler actually writes, tracebacks included.
"""

import io
import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import include, path

from regietafel.access.models import Membership, Role
from regietafel.core.logging import JsonFormatter, RedactFilter, redact

USERNAME = "sentinel-user-qx7"
EMAIL = "sentinel-qx7@voorbeeld.invalid"
PASSWORD = "Sentinel-Wachtwoord-qx7-lang"
V_NUMBER = "3141592653"
SECRET_KEY = "sentinel-secret-key-" + "qx7-" * 15
SENTINELS = [USERNAME, EMAIL, PASSWORD, V_NUMBER, SECRET_KEY, "qx7"]


def broken_view(request):
    """An unexpected error whose message carries request data, as careless code or a library might write it."""
    raise ValueError(f"no household for {request.POST.get('v_number')} of {request.GET.get('email')}")


def duplicate_user_view(request):
    """A real database error: PostgreSQL puts the duplicate user name in the exception's DETAIL line."""
    get_user_model().objects.create(username=USERNAME)


urlpatterns = [
    path("kapot/", broken_view),
    path("dubbel/", duplicate_user_view),
    path("", include("regietafel.urls")),
]


@pytest.fixture
def handler_output():
    """What the configured handlers of the root logger write, in one buffer."""
    buffer = io.StringIO()
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    handlers = [h for h in handlers if any(isinstance(f, RedactFilter) for f in h.filters)]
    assert handlers, "settings.LOGGING gives the console handler the RedactFilter"
    # Swapped directly: setStream() flushes the old stream, which may be a capture file pytest already closed.
    streams = [handler.stream for handler in handlers]
    for handler in handlers:
        handler.stream = buffer
    yield buffer
    for handler, stream in zip(handlers, streams, strict=True):
        handler.stream = stream


def leaked(text: str) -> list[str]:
    """The lines of the text that hold a sentinel."""
    return [line for line in text.splitlines() if any(s.lower() in line.lower() for s in SENTINELS)]


@pytest.mark.urls(__name__)
def test_the_log_holds_no_personal_data_or_secrets(db, settings, caplog, handler_output, dataset):
    settings.SECRET_KEY = SECRET_KEY
    settings.AXES_FAILURE_LIMIT = 3
    caplog.set_level(logging.DEBUG)
    for name in ["django", "axes", "regietafel"]:
        caplog.set_level(logging.DEBUG, logger=name)
    user = get_user_model().objects.create_user(USERNAME, email=EMAIL, password=PASSWORD)
    Membership.objects.create(user=user, role=Role.ADMIN)
    client = Client(raise_request_exception=False)
    query = {"email": EMAIL, "v": V_NUMBER, "wachtwoord": PASSWORD}

    # A wrong password for an existing account, then an unknown account (an e-mail address) until it is locked.
    assert client.post("/inloggen/", {"username": USERNAME, "password": PASSWORD + "x"}).status_code != 302
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/inloggen/", {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    # The right password; then pages and a missing page with the sentinels in the query string.
    assert client.post("/inloggen/", {"username": USERNAME, "password": PASSWORD}).status_code == 302
    assert client.get("/gemeente/GM0177/", query).status_code == 200
    assert client.get("/bestaat-niet/", query).status_code == 404
    # Server errors: one with the sentinels in its exception text, one from the database (last: on PostgreSQL
    # it leaves the test's transaction unusable).
    assert client.post(f"/kapot/?email={EMAIL}", {"v_number": V_NUMBER}).status_code == 500
    assert client.get("/dubbel/").status_code == 500

    messages = "\n".join(f"{r.name} {r.levelname} {r.getMessage()}" for r in caplog.records)
    output = handler_output.getvalue()
    # The walk produced log lines: failed logins, the lock-out, the login, the 404 and both server errors.
    assert "Failed login" in messages and "Login locked" in messages and "Login of" in messages
    # Django's lines about a request name its route, not its path (a path can hold codes and ids).
    assert "Not Found: [path]" in messages and "/bestaat-niet/" not in output
    assert "Internal Server Error: kapot/" in output and "Traceback" in output
    assert "Internal Server Error: dubbel/" in output and "IntegrityError" in output
    # The sentinels were there to leak: the filter blanked them in the exception texts.
    assert "no household for [number] of [e-mail]" in output
    if connection.vendor == "postgresql":
        assert "DETAIL: [redacted]" in output
    assert leaked(messages) == []
    assert leaked(output) == [], "\n".join(line[:3000] for line in leaked(output))


def test_redact_blanks_what_can_be_recognised(settings):
    settings.SECRET_KEY = SECRET_KEY
    text = (
        f'duplicate key value violates unique constraint "auth_user_username_key"\n'
        f"DETAIL:  Key (username)=({USERNAME}) already exists.\n"
        f'"GET /gemeente/GM0177/?v={V_NUMBER}&naam=Jan HTTP/1.1" 200 1234\n'
        f"mail to {EMAIL}, V-number {V_NUMBER}, key {SECRET_KEY}"
    )
    redacted = redact(text)
    assert leaked(redacted) == []
    assert "DETAIL: [redacted]" in redacted
    assert '"GET /gemeente/GM0177/?[query] HTTP/1.1" 200 1234' in redacted
    assert "mail to [e-mail], V-number [number], key [secret]" in redacted


def test_redact_leaves_ordinary_log_lines_alone():
    line = "Not Found: /gemeente/GM9999/ (user 12, 3 rows, 2025-07-01 12:00:00,123)"
    assert redact(line) == line


def test_the_filter_rewrites_message_arguments_and_tracebacks():
    try:
        raise IntegrityError(f"DETAIL:  Key (email)=({EMAIL}) already exists.")
    except IntegrityError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "Error for %s", (EMAIL,), exc_info=True)
        import sys

        record.exc_info = sys.exc_info()
    assert RedactFilter().filter(record) is True
    formatted = logging.Formatter().format(record)
    assert leaked(formatted) == []
    assert "Error for [e-mail]" in formatted and "IntegrityError" in formatted


def test_json_lines_leave_out_the_request_and_redact_extra_text(settings):
    """Production's JSON lines: Django's request object (its text is the full path with the query string) is left
    out, and every other extra text is redacted like the message."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    configured = {key: value for key, value in settings.LOGGING["formatters"]["json"].items() if key != "()"}
    configured["fmt"] = configured["fmt"].replace(
        " %(request_id)s", ""
    )  # the request-id filter is not on here
    handler.setFormatter(JsonFormatter(**configured))
    logger = logging.getLogger("regietafel.test.json")
    logger.addHandler(handler)
    try:
        logger.warning(
            "Not Found: %s",
            f"/gemeente/?email={EMAIL}",
            extra={"request": f"<WSGIRequest: GET '/x?v={V_NUMBER}'>", "note": f"for {EMAIL}", "status": 404},
        )
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["level"] == "WARNING" and line["status"] == 404 and "time" in line
    assert "request" not in line
    assert line["note"] == "for [e-mail]"
    assert leaked(stream.getvalue()) == []
