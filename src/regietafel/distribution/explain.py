"""A plain-language explanation of each municipality's number: share, rounding, adjustments, minors, difference.

The sentences are built from the data the computation returns (``domain.apportionment.Explanation`` and
``domain.distribution.Line``), in the active language, so the screen and the export say the same.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from regietafel.distribution.results import number, percentage
from regietafel.domain.apportionment import DHONDT, HAMILTON, HUNTINGTON_HILL, MAXIMUM, MINIMUM, SAINTE_LAGUE

if TYPE_CHECKING:
    from regietafel.distribution.results import Result, ResultLine


def rounding_rule(method: str) -> str:
    return {
        DHONDT: _("rounded down (D'Hondt)"),
        SAINTE_LAGUE: _("rounded to the nearest whole number, a half up (Sainte-Laguë)"),
        HUNTINGTON_HILL: _(
            "rounded up from the geometric mean of the two whole numbers around it (Huntington-Hill)"
        ),
    }[method]


def explain(result: Result, line: ResultLine) -> list[str]:
    scenario, key = result.scenario, result.scenario.key
    outcome = line.outcome
    why = outcome.division.explanation
    sentences = [
        _("%(population)s inhabitants on %(date)s (%(source)s), %(share)s of the %(total)s in %(area)s.")
        % {
            "population": number(line.population.population),
            "date": date_format(line.population.reference_date),
            "source": line.population.source,
            "share": percentage(Fraction(line.population.population, result.population_total or 1)),
            "total": number(result.population_total),
            "area": scenario.area.name,
        }
    ]
    factor = outcome.municipality.factor
    if factor != 1:
        sentences.append(
            _(
                "The key multiplies this by %(factor)s: it counts as %(weight)s inhabitants, %(share)s of the weighted total."
            )
            % {
                "factor": number(factor, 4).rstrip("0").rstrip(",."),
                "weight": number(outcome.weight),
                "share": percentage(outcome.share),
            }
        )
    sentences.append(
        _("Proportional share: %(share)s of %(total)s places = %(quota)s places.")
        % {
            "share": percentage(outcome.share),
            "total": number(scenario.total),
            "quota": number(outcome.quota, 2),
        }
    )
    if why.method == HAMILTON:
        if why.bounded_quota is not None and why.bounded_quota != outcome.quota and why.bound is None:
            sentences.append(
                _(
                    "Because other municipalities are held at a minimum or maximum, its share of what is left is %(quota)s places."
                )
                % {"quota": number(why.bounded_quota, 2)}
            )
        if why.bound is None:
            extra = sum(1 for other in result.lines if other.outcome.division.explanation.extra_seat)
            if why.extra_seat:
                sentences.append(
                    _(
                        "Largest remainder: %(floor)s places rounded down, plus one for its remainder of %(remainder)s (ranked %(rank)s of all remainders); the %(extra)s places left after rounding down go to the largest remainders."
                    )
                    % {
                        "floor": number(why.floor),
                        "remainder": number(why.remainder, 2),
                        "rank": why.remainder_rank,
                        "extra": number(extra),
                    }
                )
            else:
                sentences.append(
                    _(
                        "Largest remainder: %(floor)s places rounded down; its remainder of %(remainder)s (ranked %(rank)s of all remainders) was too small for one of the %(extra)s places left after rounding down."
                    )
                    % {
                        "floor": number(why.floor),
                        "remainder": number(why.remainder, 2),
                        "rank": why.remainder_rank,
                        "extra": number(extra),
                    }
                )
    elif why.bound is None:
        if why.divisor is None:
            sentences.append(_("Every place came from minimums; nothing was left to divide."))
        else:
            sentences.append(
                _(
                    "Divisor method: %(weight)s ÷ %(divisor)s = %(quotient)s, %(rule)s: %(rounded)s places. The divisor is the one number for which the rounded results add up to the total."
                )
                % {
                    "weight": number(outcome.weight),
                    "divisor": number(why.divisor, 2),
                    "quotient": number(why.quotient, 2),
                    "rule": rounding_rule(why.method),
                    "rounded": number(why.rounded),
                }
            )
    realised = line.line.realised
    if why.bound == MINIMUM and outcome.floor_from == "realised":
        sentences.append(
            _(
                "Its %(realised)s places already realised at existing locations on %(date)s count first: it gets no fewer, and the rest of the total is divided over the others."
            )
            % {"realised": number(realised), "date": date_format(scenario.realised_on)}
        )
    elif why.bound == MINIMUM:
        sentences.append(
            _("The key's minimum of %(minimum)s places applies.") % {"minimum": number(outcome.lower_bound)}
        )
    elif why.bound == MAXIMUM:
        sentences.append(
            _("The key's maximum of %(maximum)s places applies; the rest goes to the others.")
            % {"maximum": number(outcome.municipality.maximum)}
        )
    elif realised and key.count_realised:
        sentences.append(
            _("%(realised)s of these places already exist at locations on %(date)s.")
            % {"realised": number(realised), "date": date_format(scenario.realised_on)}
        )
    if why.tie_broken:
        sentences.append(
            _(
                "It had an exactly equal claim to a place with another municipality; the larger weight (population times factor), then the lower CBS code, decided."
            )
        )
    if result.amv_share:
        sentences.append(
            _(
                "Of its places, %(minors)s are for unaccompanied minors (%(share)s of the total, divided in proportion to the places: %(quota)s)."
            )
            % {
                "minors": number(line.minors),
                "share": percentage(result.amv_share, 1),
                "quota": number(line.outcome.minors_quota, 2),
            }
        )
    if line.indicative is not None:
        difference = line.difference_from_indicative
        values = {
            "indicative": number(line.indicative_places),
            "source": line.indicative.source,
            "date": date_format(line.indicative.reference_date) if line.indicative.reference_date else "",
            "difference": ("+" if difference > 0 else "") + number(difference),
        }
        sentences.append(_indicative_sentence(result, difference, values))
    return sentences


def _indicative_sentence(result: Result, difference: int, values: dict) -> str:
    """Why the proposal differs from the state's indicative number, naming only causes that are there."""
    if difference == 0:
        return (
            _(
                "The state's indicative number is %(indicative)s (%(source)s, %(date)s); this proposal is the same."
            )
            % values
        )
    causes = []
    if not result.total_is_task:
        causes.append(_("another total than the state's task"))
    if result.key_has_entries:
        causes.append(_("the key's own factors, minimums or maximums"))
    if result.realised_counted:
        causes.append(_("places already realised that count first"))
    if not causes:
        return (
            _(
                "The state's indicative number is %(indicative)s (%(source)s, %(date)s); this proposal differs by %(difference)s. This key uses population share only; the state also corrected for a socio-economic score that is not public here, which explains the difference."
            )
            % values
        )
    return _(
        "The state's indicative number is %(indicative)s (%(source)s, %(date)s); this proposal differs by %(difference)s, because of %(causes)s, and because the state also corrected for a socio-economic score that is not public here."
    ) % {**values, "causes": get_text_list(causes, _("and"))}
