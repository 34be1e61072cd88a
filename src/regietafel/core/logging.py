"""Keeping personal data and secrets out of the application log.

The code itself logs accounts by id or pseudonym and never logs request data. What it cannot control is text
from elsewhere that ends up in a log line: the message of an exception (PostgreSQL puts the offending values in
its DETAIL line: ``Key (username)=(jan) already exists``, ``Failing row contains (...)``), a URL with its query
string (the development server logs every request line), a library's debug message. ``RedactFilter`` sits on
every log handler (settings.LOGGING) and blanks, in the message, the traceback and the stack:

- PostgreSQL DETAIL lines;
- e-mail addresses;
- runs of nine or ten digits (citizen service numbers, V-numbers);
- query strings of URLs, and the path of the request a line is about (Django's "Not Found: /path"): its route;
- the secret key and its fallbacks.

Records that cannot be cleaned are dropped: the template engine's DEBUG records ("Exception while resolving
variable") carry the whole template context in their traceback: the signed-in user, the CSRF token, the page data.

It is a safety net, not the policy: personal data stays out of URLs and log calls in the first place.
"""

import logging
import re

import pythonjsonlogger.json
from django.conf import settings
from pythonjsonlogger.core import RESERVED_ATTRS

from regietafel.core.routes import route_label

PATTERNS = [
    (re.compile(r"DETAIL:.*"), "DETAIL: [redacted]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"(?<![\w.])\d{9,10}(?![\w.])"), "[number]"),
    (re.compile(r"(/[^\s?\"']*)\?[^\s\"']+"), r"\1?[query]"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    for secret in _secrets():
        text = text.replace(secret, "[secret]")
    return text


def _secrets() -> list[str]:
    if not settings.configured:
        return []
    keys = [getattr(settings, "SECRET_KEY", ""), *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [key for key in keys if key]


class RedactFilter(logging.Filter):
    """A handler filter: rewrites the record in place (message, traceback, stack), or drops it (see above)."""

    formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.template") and record.levelno < logging.INFO:
            return False
        message = record.getMessage()
        request = getattr(record, "request", None)
        path = getattr(request, "path", "")
        if path and path in message:
            # Django's own lines about a request ("Not Found: /gemeente/GM0193/") name it by its route instead.
            match = getattr(request, "resolver_match", None)
            message = message.replace(path, route_label(match.route) if match else "[path]")
        message = redact(message)
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(pythonjsonlogger.json.JsonFormatter):
    """One JSON object per line: time, level, logger, message, request id and the record's plain extra fields.

    Django attaches the request object to some records (``django.request``); its text holds the full path with the
    query string, so it is left out, and every other extra text goes through ``redact`` like the message.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "taskName"])
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict) -> dict:
        return {key: redact(value) if isinstance(value, str) else value for key, value in log_data.items()}
