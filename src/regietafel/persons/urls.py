from django.urls import path

from regietafel.persons import views

app_name = "persons"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("nieuw/", views.create, name="create"),
    path("export.<str:file_format>", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
]
