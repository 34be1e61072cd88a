from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class CoreConfig(AppConfig):
    name = "regietafel.core"

    def ready(self):
        from regietafel.core import pagecache  # noqa: F401  (listens for writes: the figures version)


class StaticFilesConfig(DjangoStaticFilesConfig):
    """collectstatic leaves out the npm packages' sources and data (design tokens as JSON, TypeScript, Sass: 15 MB
    that no page asks for), so a production start collects and compresses only what is served."""

    ignore_patterns = [
        *DjangoStaticFilesConfig.ignore_patterns,
        "*.json",
        "*.cjs",
        "*.mjs",
        "*.ts",
        "*.scss",
        "*.less",
        "*.map",
    ]
