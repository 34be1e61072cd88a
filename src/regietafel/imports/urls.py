from django.urls import path

from regietafel.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/", views.upload, name="upload"),
    path("<slug:kind>/sjabloon.<str:file_format>", views.template, name="template"),
    path("<slug:kind>/export.<str:file_format>", views.export, name="export"),
    path("<slug:kind>/<int:batch_id>/", views.preview, name="preview"),
    path("<slug:kind>/<int:batch_id>/voortgang/", views.status, name="status"),
]
