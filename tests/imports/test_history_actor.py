"""Every record-history line names who made the change, also when the worker writes an import (no request there)."""

from auditlog.models import LogEntry

from regietafel.core.specs import get_spec
from regietafel.housing.models import HousingRealisation
from regietafel.imports import services
from tests.support import REALISATION_HEADER, csv_bytes


def test_an_import_written_by_the_worker_names_the_user_who_confirmed_it(dataset, user):
    spec = get_spec("realisation")
    content = csv_bytes(REALISATION_HEADER, [["GM0177", "2026-01", 4, 0, "2026-02-01", "COA", "H"]])
    batch, validation = services.stage(spec, "januari.csv", content, user)
    last = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # The task runs in this process (tests run tasks at once), outside the request: as the worker does.
    services.confirm(batch, user, validation.fingerprint(), "")

    batch.refresh_from_db()
    assert batch.status == "applied"
    written = LogEntry.objects.filter(pk__gt=last, content_type__model="housingrealisation")
    assert written.count() == 1
    assert {entry.actor for entry in written} == {user}
    assert HousingRealisation.objects.get(municipality__code="GM0177", month="2026-01-01").housed == 4
