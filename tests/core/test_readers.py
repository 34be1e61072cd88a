"""One way to read figures: every reader is built as ``Reader(region, on)`` and says which region and date it read."""

import datetime
import inspect

import pytest

from regietafel.core.figures import Reader
from regietafel.housing.ledger import HousingLedger
from regietafel.indicators.ledger import IndicatorLedger
from regietafel.matching.ledger import PipelineLedger
from regietafel.reception.ledger import ReceptionLedger
from regietafel.regions.models import Area

READERS = [HousingLedger, ReceptionLedger, IndicatorLedger, PipelineLedger]


@pytest.mark.parametrize("reader", READERS, ids=lambda reader: reader.__name__)
def test_every_reader_is_built_from_a_region_and_one_date_named_on(reader):
    parameters = list(inspect.signature(reader).parameters.values())
    assert [parameter.name for parameter in parameters[:2]] == ["region", "on"]
    assert parameters[1].default is None
    assert all(parameter.default is not inspect.Parameter.empty for parameter in parameters[1:])


@pytest.mark.parametrize("reader", READERS, ids=lambda reader: reader.__name__)
def test_every_reader_keeps_the_region_and_date_it_read(reader, dataset):
    region = Area.objects.get(code="VR04")
    on = datetime.date(2025, 6, 30)
    read = reader(region, on)
    assert isinstance(read, Reader)
    assert (read.region, read.on) == (region, on)
