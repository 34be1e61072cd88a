"""The main menu: the product's pages in six groups, as data, each link shown only to whom its page lets in.

A group with one link the user may open is a plain link; otherwise it opens as a list (a <details> element, so it
works from the keyboard and without JavaScript). The current page is marked in its link and its group."""

from dataclasses import dataclass
from functools import cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from regietafel.access.context_processors import rights_of_role
from regietafel.access.policy import Role
from regietafel.access.scope import principal


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    # Which pages count as this link's: (namespace, url names); no names: the whole namespace.
    current: tuple[str, tuple[str, ...]]
    # The right it needs as (resource, action); None: everyone with a role.
    right: tuple[str, str] | None = None


@dataclass(frozen=True)
class Group:
    label: str
    links: tuple[Link, ...]


MENU = (
    Group(
        _("Monitor"),
        (
            Link(
                pgettext_lazy("menu", "Housing status holders"),
                "monitor:overview",
                ("monitor", ("overview", "municipality")),
            ),
            Link(
                _("Supervision"),
                "monitor:supervision",
                ("monitor", ("supervision", "supervision_record")),
                ("supervision", "view"),
            ),
            Link(_("Asylum reception"), "monitor:asylum", ("monitor", ("asylum", "location"))),
            Link(_("Spreidingswet cycle"), "monitor:cycle", ("monitor", ("cycle",))),
            Link(_("Ukraine"), "monitor:ukraine", ("monitor", ("ukraine",))),
            Link(_("Unaccompanied minors"), "monitor:minors", ("monitor", ("minors",))),
            Link(_("Third-country nationals"), "monitor:third_country", ("monitor", ("third_country",))),
            Link(_("Reimbursements"), "monitor:money", ("monitor", ("money",))),
            Link(_("Indicators"), "indicators:region", ("indicators", ())),
            Link(_("National numbers"), "monitor:national", ("monitor", ("national",))),
        ),
    ),
    Group(
        pgettext_lazy("menu", "Table"),
        (
            Link(
                _("Meetings"),
                "meetings:list",
                ("meetings", ("list", "detail", "edit", "create", "subscription")),
                ("table", "view"),
            ),
            Link(_("Actions"), "meetings:actions", ("meetings", ("actions", "action"))),
            Link(_("Referrals"), "meetings:referrals", ("meetings", ("referrals", "referral"))),
            Link(
                _("Signals"),
                "meetings:signals",
                ("meetings", ("signals", "signal", "signal_create")),
                ("signals", "view"),
            ),
            Link(_("Conditions"), "conditions:list", ("conditions", ()), ("conditions", "view")),
            Link(_("Partners"), "organisations:list", ("organisations", ())),
            Link(_("Practices"), "practices:list", ("practices", ())),
        ),
    ),
    Group(
        pgettext_lazy("menu", "Housing"),
        (
            Link(_("Households"), "persons:list", ("persons", ()), ("persons", "view")),
            Link(_("Matching"), "matching:index", ("matching", ()), ("persons", "change")),
        ),
    ),
    Group(
        _("Distribution"),
        (Link(_("Distribution"), "distribution:index", ("distribution", ()), ("distribution", "view")),),
    ),
    Group(
        _("Reports"),
        (
            Link(_("Reports"), "reports:index", ("reports", ()), ("reports", "view")),
            Link(_("Import and export"), "imports:index", ("imports", ())),
        ),
    ),
    Group(
        _("Administration"),
        (
            Link(
                _("Users"),
                "access:users",
                ("access", ("users", "user", "invite", "two-factor-rules")),
                ("administration", "view"),
            ),
            Link(
                _("API tokens"),
                "access:tokens",
                ("access", ("tokens", "token-revoke")),
                ("administration", "view"),
            ),
            Link(_("Processing log"), "access:log", ("access", ("log",)), ("administration", "view")),
            Link(_("Record history"), "access:history", ("access", ("history",)), ("administration", "view")),
            Link(
                _("Set-up"),
                "monitor:setup",
                ("monitor", ("setup", "tiles", "region", "region_create", "completeness", "inputs")),
                ("administration", "view"),
            ),
            Link(
                _("Bodies and forums"),
                "meetings:bodies",
                (
                    "meetings",
                    ("bodies", "body", "body_create", "body_edit", "forums", "forum_create", "forum_edit"),
                ),
                ("administration", "view"),
            ),
            Link(_("Periods"), "monitor:periods", ("monitor", ("periods",)), ("administration", "view")),
        ),
    ),
)


def _is_current(link: Link, match) -> bool:
    if match is None:
        return False
    namespace, names = link.current
    return match.app_name == namespace and (not names or match.url_name in names)


@cache
def _links(role: Role, language: str | None, urlconf: str | None, prefix: str) -> tuple:
    """The groups a role sees, each with its links as (label, url, link): the same on every page, so worked out
    once per role, language and set of addresses."""
    rights = rights_of_role(role)
    groups = []
    for group in MENU:
        links = tuple(
            (str(link.label), reverse(link.url_name), link)
            for link in group.links
            if link.right is None or rights[link.right[0]][link.right[1]]
        )
        if links:
            groups.append((str(group.label), links))
    return tuple(groups)


def menu(request):
    """``menu``: the groups this user sees, each with its links (label, url, current) and whether it is current."""
    user = getattr(request, "user", None)
    who = principal(user)
    if who.role == Role.NONE:
        return {}
    match = getattr(request, "resolver_match", None)
    groups = []
    for label, links in _links(who.role, get_language(), get_urlconf(), get_script_prefix()):
        shown = [
            {"label": text, "url": url, "current": _is_current(link, match)} for text, url, link in links
        ]
        groups.append({"label": label, "links": shown, "current": any(link["current"] for link in shown)})
    return {"menu": groups}
