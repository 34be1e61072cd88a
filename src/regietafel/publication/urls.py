from django.urls import path, re_path

from regietafel.publication import views

app_name = "publication"
urlpatterns = [
    path("publicaties/", views.manage, name="manage"),
    path("publicaties/publiceren/", views.publish, name="publish"),
    path("publicaties/intrekken/", views.withdraw, name="withdraw"),
    path("openbaar/", views.public, name="public"),
    path("openbaar/<str:region>/<str:half_year>/", views.public, name="public_half_year"),
    path("opendata/", views.opendata_docs, name="opendata"),
    re_path(
        r"^opendata/v1/(?P<dataset>huisvesting|opvang)\.(?P<file_format>csv|json)$",
        views.opendata_file,
        name="opendata_file",
    ),
]
