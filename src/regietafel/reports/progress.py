"""How a council letter words a municipality's housing progress: pure Python, no Django.

The letter adds one class to the monitor's three (on schedule, behind, far behind): *ahead*. A municipality is
ahead when

- it has already met its target for the half-year including carry-over (nothing remains to be housed; this
  includes a lead larger than the new target), or
- it has housed at least ``AHEAD_FROM`` (110%) of the pro-rata norm, the part of the corrected target due by
  now (see ``regietafel.domain.targets.pro_rata_norm``).

Otherwise the monitor's status stands. The inputs are what ``HousingLedger.row`` already computed (status,
share of the norm, still to house), so the statutory and monitoring rules are not applied a second time.
Being ahead implies the monitor's "on schedule": someone who met the target or housed 110% of the norm is above
any "behind" threshold below 100%.
"""

import enum
from fractions import Fraction

from regietafel.domain.targets import ScheduleStatus

# Clearly above the pro-rata norm: the mirror image of the default "behind" threshold (below 90%).
AHEAD_FROM = Fraction(11, 10)


class Progress(enum.StrEnum):
    """A municipality's housing progress as the letter words it, best first."""

    AHEAD = "ahead"
    ON_SCHEDULE = "on_schedule"
    BEHIND = "behind"
    FAR_BEHIND = "far_behind"


RANK = {Progress.AHEAD: 3, Progress.ON_SCHEDULE: 2, Progress.BEHIND: 1, Progress.FAR_BEHIND: 0}


def progress(
    status: ScheduleStatus | None,
    share_of_norm: Fraction | None,
    remaining: int | None,
    ahead_from: Fraction = AHEAD_FROM,
) -> Progress | None:
    """Classify a municipality's progress; None when the monitor has no status (the realisation is unknown).

    ``share_of_norm`` is housed / pro-rata norm (None when nothing is due yet), ``remaining`` the status holders
    still to house this half-year (None when unknown).
    """
    if status is None:
        return None
    if remaining == 0 or (share_of_norm is not None and share_of_norm >= ahead_from):
        return Progress.AHEAD
    return Progress(status.value)
