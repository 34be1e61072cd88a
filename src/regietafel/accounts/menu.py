"""The main menu: the product's pages in six groups, as data, each link shown only to whom its page lets in.

A group with one link the user may open is a plain link; otherwise it opens as a list (a <details> element, so it
works from the keyboard and without JavaScript). The current page is marked in its link and its group."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regietafel.access.context_processors import rights as rights_of
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


def menu(request):
    """``menu``: the groups this user sees, each with its links (label, url, current) and whether it is current."""
    user = getattr(request, "user", None)
    who = principal(user)
    if who.role == Role.NONE:
        return {}
    rights = rights_of(request)["rights"]
    match = getattr(request, "resolver_match", None)
    groups = []
    for group in MENU:
        links = [
            {"label": link.label, "url": reverse(link.url_name), "current": _is_current(link, match)}
            for link in group.links
            if link.right is None or rights[link.right[0]][link.right[1]]
        ]
        if links:
            groups.append(
                {"label": group.label, "links": links, "current": any(link["current"] for link in links)}
            )
    return {"menu": groups}
