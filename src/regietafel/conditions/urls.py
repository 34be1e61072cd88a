from django.urls import path

from regietafel.conditions import views

app_name = "conditions"
urlpatterns = [
    path("", views.condition_list, name="list"),
    path("nieuw/", views.create, name="create"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/wijzigen/", views.edit, name="edit"),
    path("<int:pk>/status/", views.change_status, name="status"),
]
