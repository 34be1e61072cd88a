"""The matcher's structured reasons (``domain.matching.reasons``) in plain words, e.g. "past qua grootte; werk in
Raalte op 4 km". Stored as JSON on a proposal, worded when shown, in the reader's language."""

import datetime
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from regietafel.regions.models import Area


def to_json(reasons) -> list[dict]:
    """Reasons as JSON: dates as ISO text, amounts as text with cents."""

    def plain(value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    return [
        {"code": reason.code, "params": {k: plain(v) for k, v in reason.params.items()}} for reason in reasons
    ]


def _euro(text: str) -> str:
    return "€ " + number_format(Decimal(text), decimal_pos=2, use_l10n=True, force_grouping=True)


def _date(text: str) -> str:
    return date_format(datetime.date.fromisoformat(text), "j F Y")


def _tie(kind: str) -> str:
    return {"work": _("work"), "study": _("study"), "family": _("family"), "care": _("care")}.get(kind, kind)


def describe(reasons: list[dict]) -> list[str]:
    """One short phrase per reason, in the order the matcher gave them."""
    names = {area.code: area.name for area in Area.objects.filter(code__in=_codes(reasons))}
    phrases = []
    for reason in reasons:
        code, p = reason["code"], reason["params"]
        if code == "deadline":
            days = p["days_left"]
            if days < 0:
                phrases.append(
                    ngettext("deadline passed %(days)s day ago", "deadline passed %(days)s days ago", -days)
                    % {"days": -days}
                )
            else:
                phrases.append(
                    ngettext(
                        "deadline %(date)s (%(days)s day left)",
                        "deadline %(date)s (%(days)s days left)",
                        days,
                    )
                    % {"date": _date(p["deadline"]), "days": days}
                )
        elif code == "size_fit":
            phrases.append(
                ngettext(
                    "fits in size: %(people)s person; bedrooms %(rooms)s, maximum occupancy %(max)s",
                    "fits in size: %(people)s people; bedrooms %(rooms)s, maximum occupancy %(max)s",
                    p["people"],
                )
                % {"people": p["people"], "rooms": p["rooms"], "max": p["max_occupancy"]}
            )
        elif code == "tie_nearby":
            phrases.append(
                _("%(kind)s in %(place)s at %(km)s km")
                % {"kind": _tie(p["kind"]), "place": p["place"], "km": number_format(p["km"], decimal_pos=1)}
            )
        elif code == "accessible":
            phrases.append(_("accessible home"))
        elif code == "shared":
            phrases.append(
                ngettext(
                    "shared with %(count)s other single", "shared with %(count)s other singles", p["with"]
                )
                % {"count": p["with"]}
            )
        elif code == "rent_within_limit":
            phrases.append(
                _("rent %(rent)s within the limit of %(limit)s")
                % {"rent": _euro(p["rent"]), "limit": _euro(p["limit"])}
            )
        elif code == "other_municipality":
            phrases.append(
                _("in another municipality: %(name)s")
                % {"name": names.get(p["municipality"], p["municipality"])}
            )
        elif code == "available":
            text = _("available on %(date)s") % {"date": _date(p["available_on"])}
            if not p["before_deadline"]:
                text += " " + _("(after the deadline)")
            phrases.append(text)
    return phrases


def describe_unmatched(reason: dict) -> str:
    """Why a household got no proposal (``domain.matching.unmatched_reason``), as one sentence."""
    code, p = reason["code"], reason["params"]
    if code == "no_home_in_municipality":
        return _("No home was offered in its municipality.")
    if code == "none_available_in_time":
        return _("No home in its municipality is available before %(date)s.") % {"date": _date(p["before"])}
    if code == "none_accessible":
        return _("It needs an accessible home, and none of the available homes is accessible.")
    if code == "none_large_enough":
        return ngettext(
            "No home is large enough for %(people)s person: the largest takes %(largest)s.",
            "No home is large enough for %(people)s people: the largest takes %(largest)s.",
            p["people"],
        ) % {"people": p["people"], "largest": p["largest"]}
    if code == "rent_above_limit":
        return _(
            "Every home that fits costs more than its rent limit of %(limit)s: the lowest rent is %(lowest)s."
        ) % {
            "limit": _euro(p["limit"]),
            "lowest": _euro(p["lowest"]),
        }
    return ngettext(
        "The %(count)s home it could have had went to a household with an earlier deadline or more people.",
        "The %(count)s homes it could have had went to households with earlier deadlines or more people.",
        p["homes"],
    ) % {"count": p["homes"]}


def _codes(reasons: list[dict]) -> set[str]:
    return {r["params"]["municipality"] for r in reasons if r["code"] == "other_municipality"}


LEVEL_LABELS = {
    "people": gettext_lazy("People housed"),
    "deadline": gettext_lazy("Earliest deadlines first (score)"),
    "fit": gettext_lazy("Fit: ties nearby and size (score)"),
}


def describe_levels(levels: list[dict]) -> list[dict]:
    """The objective levels of a run (as stored in its summary) with their names in words."""
    return [{**level, "label": LEVEL_LABELS.get(level["name"], level["name"])} for level in levels]
