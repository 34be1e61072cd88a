"""The province's intervention ladder for the housing task (interbestuurlijk toezicht). Pure Python, no Django.

A province supervises whether each municipality houses its status holders. Its ladder has steps in its own words
(an official contact, an administrative talk, a warning letter, an instruction, taking over the task), each with the
number of consecutive missed half-years at which the province usually takes it. The product never moves a
municipality on the ladder itself: it proposes a step, and a person records what the province decided.
"""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    order: int
    # The consecutive missed half-years at which the step is proposed; None: only ever taken by decision.
    threshold: int | None


@dataclass(frozen=True)
class Proposal:
    order: int
    escalates: bool  # True: up the ladder; False: back to its first step


def lowest(steps: Sequence[Step]) -> Step | None:
    return min(steps, key=lambda step: step.order, default=None)


def called_for(steps: Sequence[Step], missed: int) -> Step | None:
    """The highest step whose threshold the consecutive misses have reached (None when none has)."""
    reached = [step for step in steps if step.threshold is not None and step.threshold <= missed]
    return max(reached, key=lambda step: step.order, default=None)


def propose(steps: Sequence[Step], current: int | None, missed: int) -> Proposal | None:
    """What the misses suggest for a municipality on step ``current`` (None: never placed, as on the first step).

    Up: to the highest step the misses have reached, when that is above the current step. Back: to the first step
    when the last completed half-year was met (no consecutive misses) and the municipality is above it. Otherwise
    nothing: the ladder is the province's, and the product only proposes.
    """
    if not steps or missed < 0:
        return None
    first = lowest(steps)
    position = first.order if current is None else current
    step = called_for(steps, missed)
    if step is not None and step.order > position:
        return Proposal(step.order, escalates=True)
    if missed == 0 and position > first.order:
        return Proposal(first.order, escalates=False)
    return None
