"""A file of populations as the command line takes it: CSV or XLSX with the columns code, name, population.

A row with code NL01 holds the population of the Netherlands (used by the statutory targets, ignored where only the
municipalities count). Problems name the row and the field, in Dutch, like every command's messages.
"""

from pathlib import Path

from regietafel.core.tables import TableError, read_table
from regietafel.regions.models import NATIONAL_CODE


class PopulationFileError(ValueError):
    pass


def read_population_file(path: Path) -> tuple[list[tuple[str, str, int]], int | None]:
    """The (code, name, population) rows of the municipalities, and the national population (None if absent)."""
    try:
        dataset = read_table(path.read_bytes(), path.name)
    except (OSError, TableError) as exc:
        raise PopulationFileError(f"{path}: {exc}") from exc
    headers = [str(h).lower() for h in dataset.headers]
    for column in ("code", "name", "population"):
        if column not in headers:
            raise PopulationFileError(f"{path}: kolom '{column}' ontbreekt.")
    rows, national = [], None
    for number, values in enumerate(dataset, start=2):
        row = dict(zip(headers, values, strict=False))
        code = str(row["code"] or "").strip().upper()
        try:
            population = int(str(row["population"]).strip())
            if population < 0:
                raise ValueError
        except ValueError:
            raise PopulationFileError(
                f"{path}: rij {number}, veld 'population': '{row['population']}' is geen geheel getal >= 0."
            ) from None
        if code == NATIONAL_CODE:
            national = population
        else:
            rows.append((code, str(row["name"] or "").strip(), population))
    return rows, national
