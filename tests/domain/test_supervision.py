"""The intervention ladder's proposals (``domain.supervision``): properties over any ladder."""

from hypothesis import given
from hypothesis import strategies as st

from regietafel.domain.supervision import Step, called_for, lowest, propose

ladders = st.lists(
    st.builds(Step, order=st.integers(0, 8), threshold=st.one_of(st.none(), st.integers(0, 10))),
    max_size=7,
    unique_by=lambda step: step.order,
)
currents = st.one_of(st.none(), st.integers(0, 8))
misses = st.integers(0, 12)


@given(ladders, currents, misses)
def test_a_proposal_is_a_step_of_the_ladder_and_never_the_current_one(steps, current, missed):
    proposal = propose(steps, current, missed)
    if proposal is None:
        return
    assert proposal.order in {step.order for step in steps}
    position = lowest(steps).order if current is None else current
    assert proposal.order != position


@given(ladders, currents, misses)
def test_up_only_to_a_step_the_misses_have_reached_and_back_only_after_a_met_half_year(
    steps, current, missed
):
    proposal = propose(steps, current, missed)
    if proposal is None:
        return
    chosen = next(step for step in steps if step.order == proposal.order)
    if proposal.escalates:
        assert chosen.threshold is not None and chosen.threshold <= missed
        assert current is None or chosen.order > current
    else:
        assert missed == 0
        assert chosen == lowest(steps)


@given(ladders, currents, misses)
def test_more_misses_never_propose_a_lower_step(steps, current, missed):
    now, later = propose(steps, current, missed), propose(steps, current, missed + 1)
    if now is not None and now.escalates:
        assert later is not None and later.escalates and later.order >= now.order


@given(ladders, misses)
def test_a_municipality_already_where_the_misses_point_gets_no_proposal(steps, missed):
    step = called_for(steps, missed)
    if step is not None and missed > 0:
        assert propose(steps, step.order, missed) is None


def test_the_usual_ladder():
    steps = [Step(0, 0), Step(1, 1), Step(2, 2), Step(3, 3), Step(4, None)]
    assert propose(steps, None, 0) is None
    assert propose(steps, None, 2).order == 2
    assert propose(steps, 2, 2) is None
    assert propose(steps, 2, 3).order == 3
    assert propose(steps, 4, 5) is None  # taking over the task is only ever decided
    back = propose(steps, 3, 0)
    assert back.order == 0 and not back.escalates
    assert propose([], None, 5) is None
