"""Related practices: sharing themes or the municipality, most shared themes first, never itself, at most 5."""

from regietafel.practices.models import Practice


def test_most_shared_themes_first_then_the_same_municipality_then_the_title(add):
    practice = add("Eigen werkwijze", "GM0193", ["care", "housing", "education"])
    add("Drie gedeeld", "GM0150", ["care", "housing", "education", "finance"])
    add("Twee gedeeld", "GM0166", ["care", "housing"])
    add("Een gedeeld, Zwolle", "GM0193", ["care"])
    add("Een gedeeld, Deventer", "GM0150", ["education"])
    add("Alleen Zwolle", "GM0193", [])
    add("Niets gemeen", "GM0166", ["finance"])
    assert [other.title for other in practice.related()] == [
        "Drie gedeeld",
        "Twee gedeeld",
        "Een gedeeld, Zwolle",
        "Een gedeeld, Deventer",
        "Alleen Zwolle",
    ]


def test_at_most_five_and_never_itself(add):
    practice = add("Eigen werkwijze", "GM0193", ["care"])
    for number in range(7):
        add(f"Zorg {number}", "GM0150", ["care"])
    related = practice.related()
    assert len(related) == 5
    assert practice not in related
    assert all(other.shared == 1 for other in related)


def test_a_practice_without_themes_relates_by_municipality_only(add):
    practice = add("Eigen werkwijze", "GM0177", [])
    add("Ook Raalte", "GM0177", ["care"])
    add("Elders", "GM0150", ["care"])
    assert [other.title for other in practice.related()] == ["Ook Raalte"]


def test_nothing_related(add):
    practice = add("Eigen werkwijze", "GM0177", ["finance"])
    add("Elders", "GM0150", ["care"])
    assert practice.related() == []
    assert Practice.objects.count() == 2
