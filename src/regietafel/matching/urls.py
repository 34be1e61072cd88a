from django.urls import path

from regietafel.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.index, name="index"),
    path("voorstellen/<int:pk>/", views.run, name="run"),
    path("voorstel/<int:pk>/besluit/", views.decide, name="decide"),
    path("huishouden/<int:pk>/antwoord/", views.respond, name="respond"),
    path("huishouden/<int:pk>/gehuisvest/", views.house, name="house"),
    path("woningen/", views.dwellings, name="dwellings"),
    path("woningen/nieuw/", views.dwelling_create, name="dwelling_create"),
    path("woningen/<int:pk>/", views.dwelling_edit, name="dwelling_edit"),
]
