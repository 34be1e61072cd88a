"""Used by the migrations that turned each figure's source string into a ``core.Source`` record (historical models
only: this runs on the database as it was, not on today's models)."""

import django.db.models.deletion
from django.db import migrations, models

from regietafel.domain.sources import source_key

# Sources with no name at all cite this one.
UNNAMED = "Bron niet vermeld"
# When figures gave one source different confidences, the source gets the lowest: never surer than its weakest use.
ORDER = {"L": 0, "M": 1, "H": 2}


def to_records(apps, schema_editor, models: list[str]) -> None:
    """Point every figure of ``models`` ("app.Model") at the source its old string names, adding sources."""
    Source = apps.get_model("core", "Source")
    by_key = {source.key: source for source in Source.objects.all()}
    for label in models:
        model = apps.get_model(label)
        pairs = model.objects.order_by().values_list("source_name", "confidence", "is_demo").distinct()
        for name, confidence, is_demo in pairs:
            name = " ".join((name or "").split()) or UNNAMED
            confidence = "L" if is_demo else (confidence or "M")
            key = source_key(name)
            source = by_key.get(key)
            if source is None:
                source = by_key[key] = Source.objects.create(name=name, key=key, confidence=confidence)
            elif ORDER.get(confidence, 1) < ORDER.get(source.confidence, 1):
                source.confidence = confidence
                source.save(update_fields=["confidence"])
        for name in model.objects.order_by().values_list("source_name", flat=True).distinct():
            source = by_key[source_key(" ".join((name or "").split()) or UNNAMED)]
            model.objects.filter(source_name=name).update(source=source)


def to_strings(apps, schema_editor, models: list[str]) -> None:
    """Back: each figure's source name and confidence as strings again."""
    for label in models:
        model = apps.get_model(label)
        for figure in model.objects.select_related("source"):
            model.objects.filter(pk=figure.pk).update(
                source_name=figure.source.name, confidence=figure.source.confidence
            )


def _source_field(null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="core.source",
        verbose_name="source",
    )


def record_operations(labels: list[str]) -> list:
    """The first migration of an app: keep each model's string as ``source_name`` beside a new ``source`` key, and
    point every figure at its record."""
    operations = []
    for label in labels:
        model = label.split(".")[1].lower()
        operations += [
            migrations.RenameField(model, "source", "source_name"),
            migrations.AddField(model, "source", _source_field(null=True)),
        ]
    operations.append(
        migrations.RunPython(
            lambda apps, schema_editor: to_records(apps, schema_editor, labels),
            lambda apps, schema_editor: to_strings(apps, schema_editor, labels),
        )
    )
    return operations


def required_operations(labels: list[str]) -> list:
    """The second migration of an app (PostgreSQL does not alter a table with pending foreign-key checks in the
    transaction that wrote them): drop the strings and the figure's confidence, and require the source."""
    operations = []
    for label in labels:
        model = label.split(".")[1].lower()
        operations += [
            migrations.RemoveField(model, "source_name"),
            migrations.RemoveField(model, "confidence"),
            migrations.AlterField(model, "source", _source_field(null=False)),
        ]
    return operations
