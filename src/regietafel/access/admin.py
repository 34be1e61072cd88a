"""The record history in the admin, without person-level records (access says which models hold personal data): a
household's history (its ages, needs and municipality, old and new) is shown on the household's own page, where
reading it writes a line in the processing log. The admin shows only the history of everything else."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from regietafel.access.scope import personal_models


class RecordHistoryAdmin(LogEntryAdmin):
    def get_queryset(self, request):
        personal = ContentType.objects.get_for_models(*(apps.get_model(label) for label in personal_models()))
        return super().get_queryset(request).exclude(content_type__in=personal.values())


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, RecordHistoryAdmin)
