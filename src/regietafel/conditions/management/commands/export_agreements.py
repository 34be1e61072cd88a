from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from regietafel.conditions.export import ALL, document_bytes
from regietafel.conditions.models import Condition
from regietafel.regions.models import Area

# The command line spells statuses with hyphens, like the command names.
STATUSES = {
    "not-agreed": Condition.Status.NOT_AGREED,
    "agreed": Condition.Status.AGREED,
    "pilot-requested": Condition.Status.PILOT_REQUESTED,
    "all": ALL,
}


class Command(BaseCommand):
    help = (
        "Write the conditions of one status as a Word document (.docx); by default the 'nog niet akkoord' "
        "package for a new cabinet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--status", default="not-agreed", help=f"One of {', '.join(STATUSES)} (default not-agreed)."
        )
        parser.add_argument("--out", required=True, help="The .docx file to write.")
        parser.add_argument(
            "--region",
            default=settings.REGIETAFEL_DEFAULT_REGION,
            help=f"CBS code of the region (default {settings.REGIETAFEL_DEFAULT_REGION}).",
        )

    def handle(self, *args, status, out, region, **options):
        if status not in STATUSES:
            raise CommandError(f"--status: onbekende status '{status}'; kies uit {', '.join(STATUSES)}.")
        area = Area.objects.regions().filter(code=region.upper()).first()
        if area is None:
            raise CommandError(f"--region: onbekende regio '{region}'; laad eerst de dataset (load-dataset).")
        path = Path(out)
        if path.is_dir():
            raise CommandError(f"--out: {path} is een map; geef een bestandsnaam, bijvoorbeeld pakket.docx.")
        content, count = document_bytes(area, STATUSES[status])
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"--out: kan {path} niet schrijven: {exc.strerror or exc}") from exc
        self.stdout.write(
            f"{path}: {count} randvoorwaarde{'' if count == 1 else 'n'} ({status}, {area.name})"
        )
