from django.core.management.base import BaseCommand
from django.db import transaction

from regietafel.conditions import demo as conditions_demo
from regietafel.core.models import Theme
from regietafel.core.sources import remove_uncited_demo_sources
from regietafel.core.themes import ensure_themes
from regietafel.indicators import demo as indicators_demo
from regietafel.matching import demo as matching_demo
from regietafel.meetings import demo as meetings_demo
from regietafel.operations import demo as figures_demo
from regietafel.organisations import demo as organisations_demo
from regietafel.persons import demo as persons_demo
from regietafel.practices import demo as practices_demo

# Indicator values refer to locations, meetings to organisations, homes go to households: each comes after what it
# refers to; removal runs the other way round.
DEMOS = [
    figures_demo,
    indicators_demo,
    organisations_demo,
    meetings_demo,
    conditions_demo,
    practices_demo,
    persons_demo,
    matching_demo,
]


class Command(BaseCommand):
    help = (
        "Generate demo data (marked 'demo' wherever it shows) for what is not public: monthly figures, locations, "
        "partners, a meeting cycle, conditions, practices and pseudonymous households. --remove deletes all demo records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--region", default="VR04", help="CBS code of the region (default VR04 IJsselland)."
        )
        parser.add_argument("--seed", type=int, default=2025, help="Seed of the generated figures.")
        parser.add_argument("--remove", action="store_true", help="Only remove the demo records.")

    @transaction.atomic
    def handle(self, *args, region, seed, remove, **options):
        if remove:
            removed = sum(demo.remove_demo() for demo in reversed(DEMOS))
            removed += remove_uncited_demo_sources()
            self.stdout.write(f"{removed} voorbeeldrecords verwijderd.")
            return
        ensure_themes(Theme)
        results = figures_demo.load_demo(region, seed)
        results.update(indicators_demo.load_demo(region, seed))
        results.update(organisations_demo.load_demo(region))
        results.update(meetings_demo.load_demo(region))
        results.update(conditions_demo.load_demo())
        results.update(practices_demo.load_demo())
        results.update(persons_demo.load_demo(region, seed))
        results.update(matching_demo.load_demo(region, seed))
        self.stdout.write("Geladen (demogegevens zijn in de app gemarkeerd met 'demo'):")
        for name, count in results.items():
            self.stdout.write(f"  {name}: {count}")  # "name: count" reads right for one as for many
