from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("import/", include("regietafel.imports.urls")),
    path("regietafel/", include("regietafel.meetings.urls")),
    path("randvoorwaarden/", include("regietafel.conditions.urls")),
    path("partners/", include("regietafel.organisations.urls")),
    path("werkwijzen/", include("regietafel.practices.urls")),
    path("", include("regietafel.monitor.urls")),
]
