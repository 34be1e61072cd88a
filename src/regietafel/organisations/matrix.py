"""Who does what where: the partners per municipality and theme, built once for the page and the export."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from regietafel.core.models import Theme
from regietafel.core.tables import Heading
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

EXPORT_COLUMNS = [
    Heading("municipality_code", _("municipality code")),
    Heading("municipality", _("municipality")),
    Heading("theme", _("theme")),
    Heading("organisation", _("organisation")),
    Heading("type", _("type"), dict(Organisation.Kind.choices)),
    Heading("is_demo", _("demo data")),
]


@dataclass
class Matrix:
    region: Area
    municipalities: list[Area]
    themes: list[Theme]
    # (municipality id, theme id) -> the partners working on that theme there, by name.
    cells: dict[tuple[int, int], list[Organisation]]

    def rows(self) -> list[tuple[Area, list[tuple[Theme, list[Organisation]]]]]:
        return [
            (
                municipality,
                [(theme, self.cells.get((municipality.pk, theme.pk), [])) for theme in self.themes],
            )
            for municipality in self.municipalities
        ]

    @property
    def is_demo(self) -> bool:
        return any(organisation.is_demo for partners in self.cells.values() for organisation in partners)

    @property
    def is_empty(self) -> bool:
        return not self.cells

    def export_rows(self) -> list[dict]:
        """One row per municipality, theme and organisation; demo partners say so in their own column."""
        return [
            {
                "municipality_code": municipality.code,
                "municipality": municipality.name,
                "theme": theme.name,
                "organisation": organisation.name,
                "type": organisation.kind,
                "is_demo": organisation.is_demo,
            }
            for municipality, cells in self.rows()
            for theme, partners in cells
            for organisation in partners
        ]


def build_matrix(region: Area, *, kind: str | None = None, theme: Theme | None = None) -> Matrix:
    """The matrix of a region in a fixed number of queries, whatever the number of partners."""
    municipalities = list(Area.objects.in_region(region).order_by("name"))
    themes = [theme] if theme is not None else list(Theme.objects.order_by("name"))
    partners = Organisation.objects.filter(works_in__in=municipalities).distinct().order_by("name")
    if kind:
        partners = partners.filter(kind=kind)
    if theme is not None:
        partners = partners.filter(themes=theme)
    wanted_municipalities = {municipality.pk for municipality in municipalities}
    wanted_themes = {item.pk for item in themes}
    cells: dict[tuple[int, int], list[Organisation]] = {}
    for organisation in partners.prefetch_related("themes", "works_in"):
        for area in organisation.works_in.all():
            if area.pk not in wanted_municipalities:
                continue
            for item in organisation.themes.all():
                if item.pk in wanted_themes:
                    cells.setdefault((area.pk, item.pk), []).append(organisation)
    return Matrix(region=region, municipalities=municipalities, themes=themes, cells=cells)
