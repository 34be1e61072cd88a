import pytest

from regietafel.core.models import Theme
from regietafel.organisations.models import Organisation
from regietafel.organisations.services import add_contact, save_organisation
from regietafel.regions.models import Area


@pytest.fixture
def small_region(db):
    """A region of three municipalities, and one municipality of another region."""
    province = Area.objects.create(code="PV99", name="Proefprovincie", kind=Area.Kind.PROVINCE)
    region = Area.objects.create(code="VR99", name="Proefregio", kind=Area.Kind.REGION, parent=province)
    other = Area.objects.create(code="VR98", name="Buurregio", kind=Area.Kind.REGION, parent=province)
    for code, name in [("GM9901", "Aastad"), ("GM9902", "Beedorp"), ("GM9903", "Ceeveen")]:
        Area.objects.create(code=code, name=name, kind=Area.Kind.MUNICIPALITY, parent=region)
    Area.objects.create(code="GM9801", name="Deedam", kind=Area.Kind.MUNICIPALITY, parent=other)
    return region


@pytest.fixture
def add(user):
    """Create an organisation through the service: add("Name", Kind.CARE, themes=["care"], works_in=[...])."""

    def add(name, kind=Organisation.Kind.OTHER, *, themes=(), works_in=(), is_demo=False, **fields):
        organisation = save_organisation(
            None,
            name=name,
            kind=kind,
            themes=Theme.objects.filter(slug__in=themes),
            works_in=Area.objects.filter(code__in=works_in),
            version=None,
            user=user,
            **fields,
        )
        if is_demo:
            Organisation.objects.filter(pk=organisation.pk).update(is_demo=True)
            organisation.refresh_from_db()
        return organisation

    return add


@pytest.fixture
def partners(small_region, add):
    """Who does what where in the small region:

    Woonstichting Aa: housing in Aastad. Zorggroep Bee: care and housing in Aastad, Beedorp and (outside the
    region) Deedam. Kerk Cee: no themes. School Dee (demo): education in Ceeveen.
    """
    housing = add(
        "Woonstichting Aa", Organisation.Kind.HOUSING_CORPORATION, themes=["housing"], works_in=["GM9901"]
    )
    care = add(
        "Zorggroep Bee",
        Organisation.Kind.CARE,
        themes=["care", "housing"],
        works_in=["GM9901", "GM9902", "GM9801"],
    )
    church = add("Kerk Cee", Organisation.Kind.CHURCH, works_in=["GM9903"])
    school = add(
        "School Dee", Organisation.Kind.EDUCATION, themes=["education"], works_in=["GM9903"], is_demo=True
    )
    add_contact(care, name="Contactpersoon Bee", role="Coördinator", email="bee@example.org")
    return {"housing": housing, "care": care, "church": church, "school": school}
