"""The demo practices: clearly labelled examples that replace themselves and leave real practices alone."""

from regietafel.practices.demo import DEMO_PRACTICES, load_demo, remove_demo
from regietafel.practices.models import Practice
from regietafel.practices.search import search


def test_demo_practices_are_marked_and_plausible(dataset):
    assert load_demo() == {"werkwijzen": len(DEMO_PRACTICES)}
    practices = list(Practice.objects.all())
    assert len(practices) == 6
    assert all(practice.is_demo and practice.title.endswith("") for practice in practices)
    assert all(practice.municipality.parent.code == "VR04" for practice in practices)
    assert all(practice.themes.exists() for practice in practices)
    assert {practice.title for practice in search("buddy")} == {"Buddy-programma voor nieuwe statushouders"}
    assert {practice.title for practice in search("nidos")} == {"Kleinschalige AMV-opvang met Nidos"}


def test_loading_again_replaces_the_demo_and_keeps_real_practices(add):
    real = add("Echte werkwijze", approach="Een echte aanpak met buddy's.")
    load_demo()
    load_demo()
    assert Practice.objects.filter(is_demo=True).count() == 6
    assert Practice.objects.filter(is_demo=False).get() == real
    assert len(search("buddy")) == 2
    assert remove_demo() == 6
    assert list(Practice.objects.all()) == [real]
    assert search("buddy") == [real]
