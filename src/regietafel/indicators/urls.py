from django.urls import path

from regietafel.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.region, name="region"),
    path("definities/", views.definitions, name="definitions"),
    path("nieuw/", views.create, name="create"),
    path("domein/nieuw/", views.domain_create, name="domain_create"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/wijzigen/", views.edit, name="edit"),
]
