from django.core.management.base import BaseCommand, CommandError

from regietafel.core.specs import get_spec
from regietafel.core.tables import TableError
from regietafel.imports.services import ImportRejected, import_file


class Command(BaseCommand):
    help = (
        "Load population figures from FILE: our CSV layout (code,name,...,reference_date,population,source) "
        "or a CBS StatLine CSV export of table 03759ned or 37230ned. All rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            counts = import_file(get_spec("populations"), file)
        except FileNotFoundError as exc:
            raise CommandError(f"Bestand niet gevonden: {file}") from exc
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        except ImportRejected as exc:
            for error in exc.validation.errors:
                self.stderr.write(str(error))
            raise CommandError("Niets ingelezen: verbeter de regels hierboven.") from exc
        self.stdout.write(
            f"{counts['create']} nieuw, {counts['update']} bijgewerkt, {counts['unchanged']} ongewijzigd."
        )
