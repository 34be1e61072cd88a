from django.urls import path

from regietafel.search import views

app_name = "search"
urlpatterns = [path("", views.results, name="results")]
