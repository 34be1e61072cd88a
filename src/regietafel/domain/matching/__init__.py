"""Matching status-holder households to dwellings: an optimiser with explained proposals, and the status quo.

Pure Python, no Django: stdlib plus HiGHS (``highspy``: the people and deadline levels, exactly) and OR-Tools
(CP-SAT for the fit level; min-cost flow for starting points and for the special case without sharing). Money is
``Decimal`` and compared exactly; distances are floats but enter the models only as integers (units of 100 m).

**Hard rules** (a proposal breaking one is never made; :func:`feasible_alone` and :func:`min_sharers` state them):

- *municipality*: a household is housed in its own municipality, or in a municipality that shares a redistribution
  group with it (Huisvestingswet 2014 art. 29 lid 2; ``Options.redistribution``);
- *availability*: the dwelling is available on or before ``Options.available_before``;
- *accessibility*: a household that needs an accessible dwelling gets an accessible one;
- *occupancy*: the people in a dwelling are at most its ``max_occupancy``;
- *rent*: the rent is at most the household's ``max_rent``; in a shared dwelling each of the ``k`` sharers pays
  ``rent / k`` and that share must be at most each sharer's ``max_rent`` (checked exactly as
  ``rent <= k * max_rent``);
- *sharing*: only singles (1 adult, no children, not AMV) share, only in a dwelling with ``sharing_allowed``, at
  most one single per room and at most ``max_occupancy`` singles. A dwelling holds either one household that is not
  a single, or 1..min(rooms, max_occupancy) singles (a single alone counts as a household of one: any dwelling);
- each household gets at most one dwelling.

**Objectives**, solved lexicographically in the order of ``Options.objectives`` (all maximised):

- ``"people"``: the number of people housed;
- ``"deadline"``: the sum over housed households of :func:`deadline_weight` (earliest deadlines first, households
  already past their deadline on ``Options.today`` first of all);
- ``"fit"``: :func:`tie_score` of each housed household in its dwelling, minus ``WASTE_WEIGHT`` per unused place
  (see :data:`WASTE_WEIGHT` for the definition of unused places).

Each level is optimised with the earlier ones fixed to at least the value found (``>=``; for a proven optimum of
a maximisation that is the same as ``==``), so a later level's bound holds under those constraints. Each level of
the result says whether it is proven optimal, or gives its bound (``LevelResult``); ``Result.status`` is
``"optimal"`` only when every level is.

**Method** (:mod:`~regietafel.domain.matching.optimiser`): the people and deadline levels, when they come first
(as by default), are one mixed-integer programme over classes of interchangeable households, exact for both
levels, solved by HiGHS to a proven optimum (out of time: with HiGHS's bound, keeping the status quo if that is
better). The levels after them, normally the fit, are solved by CP-SAT on a model with a Boolean per household and
dwelling, from that solution and within their share of the time; a large component's fit is often left with a
gap. When the fit comes first, CP-SAT solves every level, from the better of the status quo (:func:`greedy`) and
the optimum without sharing (min-cost flow), so the first level is never worse than theirs, even when out of time.

**Scale**: households and dwellings split into independent components (municipalities joined by redistribution
groups, transitively); each is solved on its own, ``Options.workers`` of them side by side in worker processes,
and the objectives and bounds are summed. Pairs that break a hard rule on their own are pruned before a model is
built. The LP relaxation of the class model (:func:`people_relaxation_bound`) bounds the people level cheaply.

**Past deadline** (``Result.past_deadline``, the same for the optimiser and :func:`greedy`): a household without a
proposal whose deadline lies before ``Options.available_before``. Every dwelling of this round is available by that
date; a household left out now can only be housed in a later round, after its deadline.
"""

from regietafel.domain.matching.evaluation import check_ids, components, evaluate, pair_values, summarise
from regietafel.domain.matching.greedy import greedy, greedy_assignment
from regietafel.domain.matching.model import (
    CENTS,
    DEADLINE_HORIZON_DAYS,
    LARGE_MODEL_PAIRS,
    LEVEL_TIME_SHARE,
    OBJECTIVES,
    OVERDUE_WEIGHT,
    TIE_KINDS,
    TIE_RADIUS_KM,
    WASTE_WEIGHT,
    Dwelling,
    Household,
    LevelResult,
    Options,
    Proposal,
    Reason,
    Result,
    Tie,
)
from regietafel.domain.matching.optimiser import min_cost_assignment, optimise, people_relaxation_bound
from regietafel.domain.matching.rules import (
    deadline_weight,
    feasible_alone,
    haversine_km,
    may_use_municipality,
    min_sharers,
    municipality_groups,
    reasons,
    rent_share,
    tie_distances,
    tie_score,
    unmatched_reason,
)

__all__ = [
    "CENTS",
    "DEADLINE_HORIZON_DAYS",
    "Dwelling",
    "Household",
    "LARGE_MODEL_PAIRS",
    "LEVEL_TIME_SHARE",
    "LevelResult",
    "OBJECTIVES",
    "OVERDUE_WEIGHT",
    "Options",
    "Proposal",
    "Reason",
    "Result",
    "TIE_KINDS",
    "TIE_RADIUS_KM",
    "Tie",
    "WASTE_WEIGHT",
    "check_ids",
    "components",
    "deadline_weight",
    "evaluate",
    "feasible_alone",
    "greedy",
    "greedy_assignment",
    "haversine_km",
    "may_use_municipality",
    "min_cost_assignment",
    "min_sharers",
    "municipality_groups",
    "optimise",
    "pair_values",
    "people_relaxation_bound",
    "reasons",
    "rent_share",
    "summarise",
    "tie_distances",
    "tie_score",
    "unmatched_reason",
]
