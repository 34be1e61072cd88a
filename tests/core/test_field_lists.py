"""Each record's field list is declared once (``Model.WRITABLE``): every page form and API serializer of such a model
derives from it, so a field added to the record cannot be forgotten in one of them."""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from rest_framework import serializers

import regietafel

# Serializers that show a record differently on purpose, and why.
READ_SHAPES = {
    "persons.Household": "the API shows a pseudonymous reference, never the V-number or health needs",
    "meetings.Meeting": "the API shows the meeting, not its participants or minutes",
    "practices.Practice": "the API leaves out the contact person (personal data)",
}


def _subclasses(base):
    for name in [module.name for module in pkgutil.walk_packages(regietafel.__path__, "regietafel.")]:
        if ".migrations" not in name and not name.endswith(("__main__", "gunicorn_conf", "wsgi")):
            importlib.import_module(name)
    found, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("regietafel.") and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


WRITABLE_MODELS = [model for model in apps.get_models() if hasattr(model, "WRITABLE")]


def test_the_records_with_a_form_service_and_api_declare_their_fields_once():
    assert {model._meta.label for model in WRITABLE_MODELS} >= {
        "matching.Dwelling",
        "persons.Household",
        "meetings.Meeting",
        "organisations.Organisation",
        "practices.Practice",
    }


@pytest.mark.parametrize("model", WRITABLE_MODELS, ids=lambda model: model._meta.label)
def test_every_page_form_of_the_record_uses_its_declaration(model):
    model_forms = [
        form for form in _subclasses(forms.ModelForm) if getattr(form._meta, "model", None) is model
    ]
    assert model_forms, f"{model._meta.label} declares WRITABLE but no page form uses it"
    for form in model_forms:
        assert tuple(form._meta.fields) == model.WRITABLE, form


@pytest.mark.parametrize("model", WRITABLE_MODELS, ids=lambda model: model._meta.label)
def test_every_serializer_of_the_record_shows_all_its_fields_or_says_why_not(model):
    for serializer in _subclasses(serializers.ModelSerializer):
        meta = getattr(serializer, "Meta", None)
        if getattr(meta, "model", None) is not model or model._meta.label in READ_SHAPES:
            continue
        assert set(model.WRITABLE) <= set(meta.fields), serializer
