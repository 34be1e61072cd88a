from django.urls import path

from regietafel.distribution import views

app_name = "distribution"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.create, name="create"),
    path("vergelijken/", views.compare, name="compare"),
    path("<int:pk>/", views.scenario, name="scenario"),
    path("<int:pk>/kopie/", views.copy, name="copy"),
    path("<int:pk>/aanbod/", views.offers, name="offers"),
    path("<int:pk>/vaststellen/", views.adopt, name="adopt"),
    path("<int:pk>/verwijderen/", views.delete, name="delete"),
    path("<int:pk>/export/<str:file_format>/", views.export, name="export"),
    path("sleutels/nieuw/", views.key_edit, name="key_create"),
    path("sleutels/<int:pk>/", views.key_detail, name="key"),
    path("sleutels/<int:pk>/wijzigen/", views.key_edit, name="key_edit"),
    path("sleutels/<int:pk>/kopie/", views.key_copy, name="key_copy"),
]
