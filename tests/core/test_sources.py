"""Sources are records: every figure points to one, a re-import cannot spell one source two ways, and the
footnotes link to the source's page. Checked over every importable table of sourced figures."""

import csv

import pytest
import tablib
from django.urls import reverse

from regietafel.core.models import Confidence, Source
from regietafel.core.rows import SourcedRowForm
from regietafel.core.sources import cite, remove_uncited_demo_sources, sourced_models
from regietafel.core.specs import all_specs, get_spec
from regietafel.housing.models import NationalTarget
from regietafel.imports.services import ImportRejected, import_rows, validate
from regietafel.operations.dataset import DATA_DIR
from regietafel.regions.models import Area
from tests.support import example_organisations

SOURCED_SPECS = [spec for spec in all_specs() if issubclass(spec.form_class, SourcedRowForm)]


def respelled(name: str) -> str:
    """The same source as someone else types it: other case, doubled spaces, curly quotes, a full stop."""
    return "  " + name.upper().replace(" ", "  ").replace("'", "\u2019") + "."


def near(name: str) -> str:
    """Another name one letter away: a typing error, not the same source."""
    middle = len(name) // 2
    return name[:middle] + name[middle + 1 :]


def a_row(spec) -> tuple[dict, Source | None]:
    """A valid row of the table: a stored record's export (a sourced one where there is one), else the example."""
    queryset = spec.queryset().order_by("is_demo", "pk")
    record = queryset.first()
    example_organisations()
    if record is not None:
        row = spec.row(record)
        row["is_demo"] = ""
        return row, record.source
    assert spec.example_rows, f"{spec.key}: no stored record and no example row to import"
    return dict(spec.example_rows[0]), None


def dataset_of(spec, row: dict) -> tablib.Dataset:
    columns = [column for column in spec.columns if column in row]
    data = tablib.Dataset(headers=columns)
    data.append(["" if row[column] is None else row[column] for column in columns])
    return data


def test_every_sourced_figure_points_to_a_source_record():
    models = sourced_models()
    assert len(models) >= 13
    for model in models:
        field = model._meta.get_field("source")
        assert field.related_model is Source, model
        assert not field.null, model
        assert not any(f.name == "confidence" for f in model._meta.concrete_fields), model


@pytest.mark.parametrize("spec", SOURCED_SPECS, ids=lambda spec: spec.key)
def test_a_reimport_cites_a_known_source_however_it_is_spelled(demo, spec):
    row, source = a_row(spec)
    if source is None:
        source = cite(row["source"], row.get("confidence") or Confidence.HIGH)
    row["source"] = respelled(source.name)
    row["confidence"] = ""
    before = Source.objects.count()
    import_rows(spec, dataset_of(spec, row))
    assert Source.objects.count() == before
    assert spec.queryset().filter(**spec.find(_cleaned(spec, row))).get().source == source


@pytest.mark.parametrize("spec", SOURCED_SPECS, ids=lambda spec: spec.key)
def test_a_name_close_to_a_known_source_is_refused_naming_row_and_field(demo, spec):
    row, source = a_row(spec)
    if source is None:
        source = cite(row["source"], Confidence.HIGH)
    row["source"] = near(source.name)
    before = Source.objects.count()
    with pytest.raises(ImportRejected) as refused:
        import_rows(spec, dataset_of(spec, row))
    [error] = refused.value.validation.errors
    assert (error.row, error.field) == (2, "source")
    assert source.name in str(error.message)
    assert Source.objects.count() == before


def test_a_new_source_is_medium_unless_the_file_says_and_the_preview_names_it(dataset):
    spec = get_spec("national-targets")
    data = tablib.Dataset(headers=["half_year", "revision", "headline", "source", "confidence"])
    data.append(["2031-H1", 0, 1000, "Staatscourant 2030, nr. 1", ""])
    data.append(["2031-H1", 1, 900, "Rijksoverheid, circulaire taakstelling 2031", "H"])
    validation = validate(spec, data)
    assert validation.is_valid
    [warning] = validation.warnings
    assert "Staatscourant 2030, nr. 1 (M); Rijksoverheid, circulaire taakstelling 2031 (H)" in str(warning)
    import_rows(spec, data)
    assert Source.objects.get(name="Staatscourant 2030, nr. 1").confidence == Confidence.MEDIUM
    assert (
        Source.objects.get(name="Rijksoverheid, circulaire taakstelling 2031").confidence == Confidence.HIGH
    )


def test_one_file_gives_a_new_source_one_confidence(dataset):
    spec = get_spec("national-targets")
    data = tablib.Dataset(headers=["half_year", "revision", "headline", "source", "confidence"])
    data.append(["2031-H1", 0, 1000, "Staatscourant 2030, nr. 1", "H"])
    data.append(["2031-H1", 1, 900, "staatscourant 2030,  nr. 1", "M"])
    with pytest.raises(ImportRejected) as refused:
        import_rows(spec, data)
    assert [(e.row, e.field) for e in refused.value.validation.errors] == [(3, "confidence")]
    assert not Source.objects.filter(name="Staatscourant 2030, nr. 1").exists()


def test_a_figure_cannot_give_a_known_source_another_confidence(dataset):
    spec = get_spec("national-targets")
    cbs = Source.objects.get(name="CBS StatLine 70072ned")
    data = tablib.Dataset(headers=["half_year", "revision", "headline", "source", "confidence"])
    data.append(["2031-H1", 0, 1000, cbs.name, "L"])
    with pytest.raises(ImportRejected) as refused:
        import_rows(spec, data)
    [error] = refused.value.validation.errors
    assert (error.row, error.field) == (2, "confidence")
    assert Source.objects.get(pk=cbs.pk).confidence == Confidence.HIGH


def test_the_sources_table_adds_a_resembling_source_on_purpose_and_figures_then_cite_it(dataset):
    known = Source.objects.get(name="CBS StatLine 70072ned")
    other = "CBS StatLine 70073ned"
    data = tablib.Dataset(headers=["name", "publisher", "confidence"])
    data.append([other, "Centraal Bureau voor de Statistiek (CBS)", "H"])
    import_rows(get_spec("sources"), data)
    figures = tablib.Dataset(headers=["half_year", "revision", "headline", "source"])
    figures.append(["2031-H1", 0, 1000, other])
    import_rows(get_spec("national-targets"), figures)
    assert Source.objects.get(name=other).pk != known.pk


def test_every_source_of_the_data_set_says_who_published_it_and_how_sure_it_is(dataset):
    names = {row["name"] for row in _csv(DATA_DIR / "sources.csv")}
    for model in sourced_models():
        for figure in model.objects.filter(is_demo=False):
            assert figure.source.name in names, (model, figure.source.name)
    for source in Source.objects.filter(name__in=names):
        assert source.publisher and source.description, source.name
        assert source.confidence in Confidence.values


def test_footnotes_link_to_the_source_page_and_the_page_names_publisher_and_rule(logged_in, demo):
    page = logged_in.get(reverse("monitor:national")).content.decode()
    national = Source.objects.filter(pk__in=NationalTarget.objects.values("source"))
    assert national.exists()
    for source in national:
        assert reverse("monitor:source", args=[source.pk]) in page
    overview = logged_in.get(reverse("monitor:overview")).content.decode()
    cbs = Source.objects.get(name="CBS StatLine 85984NED")
    assert reverse("monitor:source", args=[cbs.pk]) in overview
    detail = logged_in.get(reverse("monitor:source", args=[cbs.pk])).content.decode()
    assert "Centraal Bureau voor de Statistiek" in detail
    assert str(Confidence.HIGH.rule) in detail
    listing = logged_in.get(reverse("monitor:sources")).content.decode()
    assert cbs.name in listing


def test_removing_the_demo_removes_its_sources_and_keeps_the_public_ones(demo):
    for model in sourced_models():
        model.objects.filter(is_demo=True).delete()
    public = Source.objects.exclude(name__startswith="Demogegevens").count()
    assert remove_uncited_demo_sources() > 0
    assert not Source.objects.filter(name__startswith="Demogegevens").exists()
    assert Source.objects.count() == public


def _cleaned(spec, row: dict) -> dict:
    form = spec.form_class(data={k: "" if v is None else v for k, v in row.items()}, areas=_areas())
    assert form.is_valid(), form.errors
    return form.cleaned_data


def _areas() -> dict:
    return {area.code: area for area in Area.objects.select_related("parent__parent")}


def _csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_footnote_without_a_reference_date_says_when_its_source_was_published(client_en, dataset):
    # The national number of 2020-H1 (5,500) is known only from the answer of 16 September 2024, which gives no date
    # of its own for it.
    page = client_en.get(reverse("monitor:overview"), {"halfjaar": "2020-H1"}).content.decode()
    assert "not stated by the source; the source was published on 16 September 2024; confidence: H" in page
