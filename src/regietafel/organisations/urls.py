from django.urls import path

from regietafel.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("nieuw/", views.create, name="create"),
    path("gemeenten/", views.municipal_organisations, name="municipalities"),
    path("wie-doet-wat-waar/", views.matrix, name="matrix"),
    path("wie-doet-wat-waar/export.<str:file_format>", views.matrix_export, name="matrix_export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/contactpersonen/nieuw/", views.contact_add, name="contact_add"),
    path("<int:pk>/contactpersonen/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
    path(
        "<int:pk>/contactpersonen/<int:contact_pk>/verwijderen/", views.contact_delete, name="contact_delete"
    ),
]
