import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regietafel.domain.targets import HalfYear, statutory_target
from regietafel.housing.models import NationalTarget
from regietafel.regions.models import NATIONAL_CODE, Area, PopulationFigure
from regietafel.regions.population_files import PopulationFileError, read_population_file


class Command(BaseCommand):
    help = (
        "Print the statutory half-year targets (Huisvestingswet 2014 art. 29 lid 1) of every municipality as CSV: "
        "code,name,population,reference_date,target."
    )

    def add_arguments(self, parser):
        parser.add_argument("--half-year", required=True, help="For example 2024-H1.")
        parser.add_argument(
            "--national", type=int, help="National number; default: the latest version stored."
        )
        parser.add_argument("--populations", help="CSV or XLSX with columns code,name,population.")
        parser.add_argument("--national-population", type=int, help="When FILE has no NL01 row.")

    def handle(self, *args, half_year, national, populations, national_population, **options):
        try:
            period = HalfYear.parse(half_year)
        except ValueError as exc:
            raise CommandError(f"--half-year: {exc}") from exc
        if national is None:
            # Statutory inputs are public figures: a demo number (regietafel load-demo) never stands in here.
            stored = (
                NationalTarget.objects.filter(half_year=str(period), is_demo=False)
                .order_by("-revision")
                .first()
            )
            if stored is None:
                raise CommandError(f"Geen landelijk aantal voor {period} opgeslagen; geef --national.")
            national = stored.number
        if national < 0:
            raise CommandError("--national: moet 0 of groter zijn.")
        reference_date = period.population_reference_date()
        if populations:
            rows, file_national = self._from_file(Path(populations))
            national_population = national_population or file_national
        else:
            rows, stored_national = self._from_database(reference_date)
            national_population = national_population or stored_national
        if not national_population:
            raise CommandError(
                f"Geen bevolking van Nederland ({NATIONAL_CODE}) op {reference_date}; geef --national-population."
            )
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["code", "name", "population", "reference_date", "target"])
        missing = []
        for code, name, population in rows:
            if population is None:
                missing.append(f"{code} {name}")
                writer.writerow([code, name, "", reference_date, ""])
                continue
            target = statutory_target(national, population, national_population)
            writer.writerow([code, name, population, reference_date, target])
        if missing:
            self.stderr.write(
                f"Geen bevolking op {reference_date} voor {len(missing)} gemeente(n): {', '.join(missing)}. "
                "Laad CBS-cijfers met 'regietafel load-populations'."
            )

    def _from_database(self, reference_date):
        figures = {
            figure.area_id: figure.population
            for figure in PopulationFigure.objects.filter(reference_date=reference_date, is_demo=False)
        }
        national = (
            PopulationFigure.objects.filter(
                area__code=NATIONAL_CODE, reference_date=reference_date, is_demo=False
            )
            .values_list("population", flat=True)
            .first()
        )
        rows = [(m.code, m.name, figures.get(m.pk)) for m in Area.objects.municipalities().order_by("code")]
        return rows, national

    def _from_file(self, path: Path):
        try:
            return read_population_file(path)
        except PopulationFileError as exc:
            raise CommandError(str(exc)) from exc
