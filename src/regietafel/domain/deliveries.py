"""Which monthly figures a municipality still owes: a month's realisation is due by a day of the following month.

Pure: the caller says which months were delivered; this says which months are asked for, and which of the missing
ones are late on a given day.
"""

import datetime

# The day of the following month by which a month's figures are due (the region's agreement; COA reports on the 1st).
DUE_DAY = 10


def first_of_next(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def due_on(month: datetime.date, due_day: int = DUE_DAY) -> datetime.date:
    """The day the figures of ``month`` are due."""
    return first_of_next(month).replace(day=due_day)


def asked_months(year: int, today: datetime.date) -> list[datetime.date]:
    """The months of ``year`` whose figures can be asked for on ``today``: every month that has ended."""
    return [
        datetime.date(year, number, 1)
        for number in range(1, 13)
        if first_of_next(datetime.date(year, number, 1)) <= today
    ]


def late(month: datetime.date, today: datetime.date, due_day: int = DUE_DAY) -> bool:
    return today > due_on(month, due_day)
