from django.core.management.base import BaseCommand

from regietafel.conditions import demo as conditions_demo
from regietafel.core.demo import load_demo, remove_demo
from regietafel.core.themes import ensure_themes
from regietafel.meetings import demo as meetings_demo
from regietafel.organisations import demo as organisations_demo


class Command(BaseCommand):
    help = "Generate demo figures (labelled 'voorbeelddata') for what is not public. --remove deletes them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--region", default="VR04", help="CBS code of the region (default VR04 IJsselland)."
        )
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--remove", action="store_true", help="Only remove the demo figures.")

    def handle(self, *args, region, seed, remove, **options):
        if remove:
            self.stdout.write(f"{remove_demo()} voorbeeldrecords verwijderd.")
            return
        ensure_themes()
        results = load_demo(region, seed)
        results.update(organisations_demo.load_demo(region))
        results.update(meetings_demo.load_demo(region))
        results.update(conditions_demo.load_demo())
        self.stdout.write("Geladen (voorbeelddata is in de app gemarkeerd met vb):")
        for name, count in results.items():
            self.stdout.write(f"  {count} {name}")
