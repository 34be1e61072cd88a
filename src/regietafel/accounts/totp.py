"""Two-factor login with an authenticator app (django-otp TOTP devices)."""

from base64 import b32encode

import segno
from django.utils import timezone
from django.utils.html import escape
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they enabled two-factor login."""
    if user is None or not user.pk:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def unconfirmed_device(user) -> TOTPDevice:
    """The authenticator being set up: made once and kept until confirmed, so the QR code stays the same."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Regietafel", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into the app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, label: str) -> str:
    """The device's otpauth:// URL as an inline SVG QR code, with ``label`` as its accessible name."""
    code = segno.make(device.config_url, error="m")
    svg = code.svg_inline(scale=4, border=4, dark="#000", light="#fff", title=label, svgclass="rt-qr")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def verify(device: TOTPDevice, code: str) -> tuple[bool, int | None]:
    """(accepted, seconds to wait). django-otp throttles after a wrong code (1, 2, 4 … seconds) and accepts each
    code only once; the device row is locked while it checks."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        wait = int((locked_until - timezone.now()).total_seconds()) + 1 if locked_until else None
        return False, max(1, wait) if wait is not None else None
    return verify_token(device.user, device.persistent_id, code) is not None, None
