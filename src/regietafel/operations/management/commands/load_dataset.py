from django.core.management.base import BaseCommand, CommandError

from regietafel.distribution.dataset import seed_first_cycle
from regietafel.imports.services import ImportRejected
from regietafel.operations.dataset import load_dataset


class Command(BaseCommand):
    help = "Load or refresh the embedded public IJsselland figures (each with its source)."

    def handle(self, *args, **options):
        try:
            results = load_dataset()
        except ImportRejected as exc:
            for error in exc.validation.errors:
                self.stderr.write(str(error))
            raise CommandError("Niets ingelezen: de ingebouwde dataset is niet geldig.") from exc
        for name, counts in results.items():
            self.stdout.write(
                f"{name}: {counts['create']} nieuw, {counts['update']} bijgewerkt, {counts['unchanged']} ongewijzigd"
            )
        scenario = seed_first_cycle()
        if scenario is not None:
            self.stdout.write(f"verdeling: voorbeeldscenario '{scenario.name}'")
