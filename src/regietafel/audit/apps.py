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
    "core",
)
# Not worth a history line (bookkeeping) or too large for one (uploaded files).
HISTORY_EXCLUDE_FIELDS = ["version", "updated_at", "content", "summary"]


class AuditConfig(AppConfig):
    name = "regietafel.audit"

    def ready(self):
        from auditlog.registry import auditlog

        for label in HISTORY_APPS:
            for model in apps.get_app_config(label).get_models():
                auditlog.register(model, exclude_fields=HISTORY_EXCLUDE_FIELDS)
        auditlog.register(
            apps.get_model("auth", "User"), exclude_fields=["password", "last_login", "date_joined"]
        )
