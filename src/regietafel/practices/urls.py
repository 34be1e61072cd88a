from django.urls import path

from regietafel.practices import views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("nieuw/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/verwijderen/", views.delete, name="delete"),
    path("<int:pk>/bijlagen/", views.add_attachment, name="attachment-add"),
    path("<int:pk>/bijlagen/<int:attachment_id>/", views.attachment, name="attachment"),
    path(
        "<int:pk>/bijlagen/<int:attachment_id>/verwijderen/",
        views.remove_attachment,
        name="attachment-remove",
    ),
]
