from django.apps import AppConfig, apps

# Record history (old -> new) for every model of these apps, through django-auditlog.
HISTORY_APPS = (
    "access",
    "regions",
    "housing",
    "reception",
    "persons",
    "imports",
    "organisations",
    "meetings",
    "conditions",
    "practices",
    "matching",
    "core",
)
# Not worth a history line (bookkeeping, or who: the history shows that already) or too large for one (files).
HISTORY_EXCLUDE_FIELDS = ["version", "updated_at", "updated_by", "content", "summary"]


class AuditConfig(AppConfig):
    name = "regietafel.audit"

    def ready(self):
        from auditlog.registry import auditlog

        # Identifying numbers stay out of the history (it shows old -> new values to the program team).
        masked = {"persons.Household": ["v_number"]}
        for label in HISTORY_APPS:
            for model in apps.get_app_config(label).get_models():
                auditlog.register(
                    model,
                    exclude_fields=HISTORY_EXCLUDE_FIELDS,
                    mask_fields=masked.get(model._meta.label, []),
                )
        auditlog.register(
            apps.get_model("auth", "User"), exclude_fields=["password", "last_login", "date_joined"]
        )
