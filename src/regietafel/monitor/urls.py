from django.urls import path

from regietafel.monitor import deliveries, setup, supervision, views

app_name = "monitor"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("asielopvang/", views.asylum, name="asylum"),
    path("oekraine/", views.ukraine, name="ukraine"),
    path("amv/", views.minors, name="minors"),
    path("landelijk/", views.national, name="national"),
    path("gemeente/<str:code>/", views.municipality, name="municipality"),
    path("locatie/<int:pk>/", views.location, name="location"),
    path("toezicht/", supervision.overview, name="supervision"),
    path("corporaties/", views.corporation_agreements, name="corporations"),
    path("vergoedingen/", views.reimbursement, name="money"),
    path("derdelanders/", views.third_country_nationals, name="third_country"),
    path("spreidingswet/", views.cycle, name="cycle"),
    path("toezicht/<str:code>/vastleggen/", supervision.record, name="supervision_record"),
    path("perioden/", views.periods, name="periods"),
    path("ontbrekende-invoer/", views.inputs, name="inputs"),
    path("bronnen/", views.sources, name="sources"),
    path("bronnen/<int:pk>/", views.source, name="source"),
    path("afspraken/<str:half_year>/", views.agreement, name="agreement"),
    path("aanlevering/", deliveries.completeness, name="completeness"),
    path("aanlevering/<str:code>/herinneren/", deliveries.remind, name="remind"),
    path("inrichting/", setup.setup, name="setup"),
    path("inrichting/regio/nieuw/", setup.region_edit, name="region_create"),
    path("inrichting/regio/<str:code>/", setup.region_edit, name="region"),
    path("inrichting/<str:code>/tegelkaart/", setup.tiles_edit, name="tiles"),
    path("export/<str:table>.<str:file_format>", views.export_overview, name="export"),
]
