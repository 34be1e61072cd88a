from django.core.management.base import BaseCommand

from regietafel.core.dataset import load_dataset


class Command(BaseCommand):
    help = "Load or refresh the embedded public IJsselland figures (each with its source)."

    def handle(self, *args, **options):
        for name, counts in load_dataset().items():
            self.stdout.write(
                f"{name}: {counts['create']} new, {counts['update']} updated, {counts['unchanged']} unchanged"
            )
