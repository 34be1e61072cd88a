from django.urls import path

from regietafel.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("monitor/", views.monitor_page, name="monitor"),
    path("maken/", views.start, name="start"),
    path("taken/<uuid:pk>/", views.job, name="job"),
    path("taken/<uuid:pk>/voortgang/", views.job_status, name="job_status"),
    path("taken/<uuid:pk>/bestand/", views.job_download, name="job_download"),
    path("brief/<str:code>/<str:half_year>.<str:extension>", views.letter, name="letter"),
]
