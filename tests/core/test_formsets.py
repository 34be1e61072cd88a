"""Every formset bounds the number of forms a post may claim to hold (found by the form robustness test: a post to
/personen/nieuw/ that claimed a huge TOTAL_FORMS got a thousand forms rendered back, seconds per request)."""

import importlib
import pkgutil

from django.forms.formsets import BaseFormSet

import regietafel


def formsets() -> dict[str, type[BaseFormSet]]:
    found = {}
    for module_info in pkgutil.walk_packages(regietafel.__path__, "regietafel."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            # A factory's formset names Django's module as its own: it is found by the form it was made for.
            if isinstance(value, type) and issubclass(value, BaseFormSet) and "form" in value.__dict__:
                found[f"{module.__name__}.{name}"] = value
    return found


def test_every_formset_refuses_more_forms_than_it_shows():
    found = formsets()
    assert found, "no formsets found: the search is broken"
    unbounded = {
        name: (cls.max_num, cls.absolute_max) for name, cls in found.items() if cls.absolute_max > cls.max_num
    }
    assert unbounded == {}
    assert all(cls.validate_max for cls in found.values())
