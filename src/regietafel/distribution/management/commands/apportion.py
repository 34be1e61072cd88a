import csv
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regietafel.domain.apportionment import METHODS, Unit, apportion
from regietafel.regions.population_files import PopulationFileError, read_population_file


class Command(BaseCommand):
    help = (
        "Divide a whole number of places over the municipalities of a populations file in proportion to their "
        "population, and print CSV: code,name,weight,quota,allocated (the allocated column adds up to the total)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--total", type=int, required=True, help="The number of places to divide.")
        parser.add_argument("--method", required=True, choices=METHODS, help="The apportionment method.")
        parser.add_argument(
            "--populations",
            required=True,
            help="CSV or XLSX with columns code,name,population (NL01 ignored).",
        )

    def handle(self, *args, total, method, populations, **options):
        if total < 0:
            raise CommandError("--total: moet 0 of groter zijn.")
        try:
            rows, _national = read_population_file(Path(populations))
        except PopulationFileError as exc:
            raise CommandError(str(exc)) from exc
        if not rows:
            raise CommandError(f"{populations}: geen gemeenten in het bestand.")
        try:
            shares = apportion([Unit(code, population) for code, _name, population in rows], total, method)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["code", "name", "weight", "quota", "allocated"])
        for (code, name, population), share in zip(rows, shares, strict=True):
            quota = Decimal(share.quota.numerator) / Decimal(share.quota.denominator)
            writer.writerow([code, name, population, f"{quota:.4f}", share.allocated])
