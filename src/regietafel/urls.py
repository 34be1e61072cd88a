from django.urls import include, path
from django.views.i18n import set_language

from regietafel.access.decorators import no_role_needed
from regietafel.api.urls import landing as api_landing
from regietafel.operations import health, metrics

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", metrics.metrics, name="metrics"),
    path("", include("regietafel.accounts.urls")),
    path("i18n/setlang/", no_role_needed(set_language), name="set_language"),
    path("import/", include("regietafel.imports.urls")),
    path("regietafel/", include("regietafel.meetings.urls")),
    path("randvoorwaarden/", include("regietafel.conditions.urls")),
    path("indicatoren/", include("regietafel.indicators.urls")),
    path("verdeling/", include("regietafel.distribution.urls")),
    path("partners/", include("regietafel.organisations.urls")),
    path("werkwijzen/", include("regietafel.practices.urls")),
    path("personen/", include("regietafel.persons.urls")),
    path("koppelen/", include("regietafel.matching.urls")),
    path("toegang/", include("regietafel.accounts.people_urls")),
    # The API's server address is its landing page (NL GOV: the root is the one address without a trailing slash
    # rule); every other address is under it, without a trailing slash.
    path("api/v1", api_landing),
    path("api/v1/", include("regietafel.api.urls")),
    path("rapportages/", include("regietafel.reports.urls")),
    path("zoeken/", include("regietafel.search.urls")),
    path("meldingen/", include("regietafel.notifications.urls")),
    path("", include("regietafel.publication.urls")),
    path("", include("regietafel.monitor.urls")),
]
