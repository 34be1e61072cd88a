"""Middleware shared by every app."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Pages from Django are never kept by a browser or a proxy: ``Cache-Control: private, no-store``.

    Every page of a signed-in user may show personal data or figures of one organisation, and even the login page
    echoes a user name after a failed attempt. So the header is set on every response of a signed-in user, whatever
    the view said, and on every other response that did not choose its own caching. Static files are served by the
    web server, not here, and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or not response.has_header("Cache-Control"):
            no_store(response)
        return response


def no_store(response):
    """Mark a response as private and not to be stored, dropping any directive that would allow caching."""
    if response.has_header("Cache-Control"):
        kept = [
            directive.strip()
            for directive in response["Cache-Control"].split(",")
            if directive.strip().split("=")[0].lower() not in {"public", "max-age", "s-maxage", "immutable"}
        ]
        response["Cache-Control"] = ", ".join(kept)
        if not kept:
            del response["Cache-Control"]
    patch_cache_control(response, private=True, no_store=True)
    if response.has_header("Expires"):
        del response["Expires"]
    return response
