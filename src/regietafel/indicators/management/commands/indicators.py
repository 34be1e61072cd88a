"""`regietafel indicators list [--format csv|text] [--all]`: the defined indicators."""

import csv

from django.core.management.base import BaseCommand

from regietafel.indicators.models import Indicator

COLUMNS = ["code", "name", "domain", "unit", "direction"]


class Command(BaseCommand):
    help = (
        "List the defined indicators (code, name, domain, unit, direction); --all includes those not in use."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="list")
        listing = commands.add_parser("list", help="List the indicators.")
        listing.add_argument("--format", choices=["csv", "text"], default="text")
        listing.add_argument("--all", action="store_true", help="Also the indicators not in use.")

    def handle(self, *args, action: str, format: str, all: bool, **options):
        indicators = Indicator.objects.select_related("domain")
        if not all:
            indicators = indicators.filter(is_active=True)
        rows = [[i.code, i.name, i.domain.code, i.unit, i.direction] for i in indicators]
        if format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(rows)
            return
        for code, name, domain, unit, direction in rows:
            self.stdout.write(f"{code:<26} {domain:<16} {unit:<11} {direction:<7} {name}")
