"""The register as `make run` shows it: real organisations of the table, and clearly labelled demo partners."""

import pytest

from regietafel.core.models import Theme
from regietafel.organisations.demo import DEMO_PARTNERS, load_demo, remove_demo
from regietafel.organisations.matrix import build_matrix
from regietafel.organisations.models import Contact, Organisation
from regietafel.regions.models import Area
from tests.support import IJSSELLAND

Kind = Organisation.Kind
REAL = ["Programmateam RRVIJ (Veiligheidsregio IJsselland)", "Provincie Overijssel"]
SEED_PARTNERS = [
    "COA",
    "Nidos",
    "IND",
    "VluchtelingenWerk Oost Nederland",
    "Sallandwonen",
    "Kerkennetwerk IJsselland",
    "Werkgeversservicepunt IJsselland",
    "Zorgpartner IJsselland",
    "Nieuwkomersschool IJsselland",
]


@pytest.fixture
def region(dataset):
    return Area.objects.get(code="VR04")


def works_in(name: str) -> list[str]:
    return [area.name for area in Organisation.objects.get(name=name).works_in.order_by("name")]


def test_the_first_run_creates_the_real_organisations_and_the_demo_partners(region):
    assert load_demo() == {
        "gemeenten als organisatie (nieuw)": 11,
        "regionale organisaties (nieuw)": 2,
        "voorbeeldpartners": 9,
        "voorbeeldcontactpersonen": 9,
    }
    real = Organisation.objects.filter(is_demo=False)
    municipal = real.filter(kind=Kind.MUNICIPALITY).select_related("municipality")
    assert sorted(organisation.municipality.name for organisation in municipal) == IJSSELLAND
    assert sorted(real.exclude(kind=Kind.MUNICIPALITY).values_list("name", flat=True)) == REAL
    assert works_in("Provincie Overijssel") == IJSSELLAND
    assert not Contact.objects.filter(organisation__is_demo=False).exists(), (
        "no invented contacts on real records"
    )

    demo = Organisation.objects.filter(is_demo=True)
    assert sorted(demo.values_list("name", flat=True)) == sorted(SEED_PARTNERS)
    assert {organisation.kind for organisation in demo} >= {
        Kind.STATE,
        Kind.CIVIL_SOCIETY,
        Kind.HOUSING_CORPORATION,
        Kind.CHURCH,
        Kind.EMPLOYER_SERVICE,
        Kind.CARE,
        Kind.EDUCATION,
    }
    assert all(organisation.description.startswith("Demogegevens") for organisation in demo)


def test_demo_contacts_are_clearly_invented(region):
    load_demo()
    contacts = Contact.objects.select_related("organisation")
    assert contacts.count() == len(DEMO_PARTNERS)
    for contact in contacts:
        assert contact.organisation.is_demo
        assert contact.name.endswith("(demo)")
        assert contact.email.endswith("@example.org")
        assert contact.phone == ""
    assert Contact.objects.filter(organisation__name="COA").get().name == "Contactpersoon COA (demo)"


def test_demo_partners_work_on_themes_in_municipalities_of_the_region(region):
    load_demo()
    assert works_in("COA") == IJSSELLAND
    assert works_in("Sallandwonen") == ["Raalte"]
    matrix = build_matrix(region)
    raalte_housing = matrix.cells[(Area.objects.get(code="GM0177").pk, Theme.objects.get(slug="housing").pk)]
    assert [organisation.name for organisation in raalte_housing] == ["COA", "Sallandwonen"]
    assert matrix.is_demo


def test_running_it_again_replaces_the_demo_partners_and_keeps_the_real_organisations(region):
    load_demo()
    real = dict(Organisation.objects.filter(is_demo=False).values_list("name", "pk"))
    province = Organisation.objects.get(name="Provincie Overijssel")
    province.themes.set(Theme.objects.filter(slug="finance"))
    Organisation.objects.filter(pk=province.pk).update(description="Door de provincie zelf bijgewerkt")
    old_demo = set(Organisation.objects.filter(is_demo=True).values_list("pk", flat=True))

    assert load_demo() == {
        "gemeenten als organisatie (nieuw)": 0,
        "regionale organisaties (nieuw)": 0,
        "voorbeeldpartners": 9,
        "voorbeeldcontactpersonen": 9,
    }

    assert dict(Organisation.objects.filter(is_demo=False).values_list("name", "pk")) == real
    province.refresh_from_db()
    assert province.description == "Door de provincie zelf bijgewerkt"
    assert [theme.slug for theme in province.themes.all()] == ["finance"]
    new_demo = set(Organisation.objects.filter(is_demo=True).values_list("pk", flat=True))
    assert len(new_demo) == 9
    assert not new_demo & old_demo
    assert Contact.objects.count() == 9


def test_a_real_record_of_a_partner_wins_over_its_demo_stand_in(region, user):
    real_coa = Organisation.objects.create(name="COA", kind=Kind.STATE, description="Echte gegevens")
    Contact.objects.create(organisation=real_coa, name="Echte contactpersoon")

    counts = load_demo()

    assert counts["voorbeeldpartners"] == 8
    real_coa.refresh_from_db()
    assert (real_coa.is_demo, real_coa.description) == (False, "Echte gegevens")
    assert [contact.name for contact in real_coa.contacts.all()] == ["Echte contactpersoon"]
    assert Organisation.objects.filter(name__iexact="coa").count() == 1


def test_removing_the_demo_leaves_the_real_organisations(region):
    load_demo()
    assert remove_demo() == 9
    assert not Organisation.objects.filter(is_demo=True).exists()
    assert not Contact.objects.exists()
    assert Organisation.objects.count() == 11 + 2


def test_the_demo_needs_the_region(db):
    with pytest.raises(Area.DoesNotExist):
        load_demo()


def test_demo_partners_are_labelled_on_the_pages(region, client_en):
    load_demo()
    coa = Organisation.objects.get(name="COA")
    assert (
        '<abbr class="rt-demo-marker" title="demo data">demo</abbr>'
        in client_en.get(f"/partners/{coa.pk}/").content.decode()
    )
    matrix = client_en.get("/partners/wie-doet-wat-waar/").content.decode()
    assert f'href="/partners/{coa.pk}/">COA</a> <abbr class="rt-demo-marker"' in matrix
    province = Organisation.objects.get(name="Provincie Overijssel")
    assert "rt-demo-marker" not in client_en.get(f"/partners/{province.pk}/").content.decode()
