"""Numbers on pages carry thousands separators (issue 25: "€ 1362,00" and "10000")."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(text: str, **values) -> str:
    return Template("{% load regietafel %}" + text).render(Context(values))


def test_grouped_writes_numbers_as_the_language_does():
    with translation.override("nl"):
        assert render("{{ n|grouped }}", n=10000) == "10.000"
        assert render("€ {{ rent|grouped:2 }}", rent=Decimal("1362")) == "€ 1.362,00"
        assert render('{{ n|grouped|default_if_none:"—" }}', n=None) == "—"
    with translation.override("en"):
        assert render("{{ n|grouped }}", n=10000) == "10,000"


def test_the_national_page_groups_its_numbers(dataset, logged_in):
    page = logged_in.get("/landelijk/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert ">8.000<" in page and ">8000<" not in page
