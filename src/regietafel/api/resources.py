"""The API's resources: each address (a Dutch plural noun), its viewset, its route name and what it holds."""

from django.utils.translation import gettext_lazy as _

from regietafel.api.conditions import ConditionViewSet
from regietafel.api.housing import (
    AgreementViewSet,
    CorporationAgreementViewSet,
    HalfYearViewSet,
    RealisationViewSet,
    SupervisionPlacementViewSet,
    SupervisionStepViewSet,
    TargetViewSet,
)
from regietafel.api.indicators import IndicatorViewSet, ValueViewSet
from regietafel.api.matching import DwellingViewSet, ProposalViewSet
from regietafel.api.meetings import (
    ActionViewSet,
    DecisionViewSet,
    MeetingViewSet,
    ReferralViewSet,
    SignalViewSet,
)
from regietafel.api.organisations import PartnerViewSet
from regietafel.api.persons import HouseholdViewSet
from regietafel.api.practices import PracticeViewSet
from regietafel.api.reception import (
    CycleViewSet,
    LocationViewSet,
    RateViewSet,
    ReceptionTaskViewSet,
    ThirdCountryNationalViewSet,
    ThirdCountryRuleViewSet,
)
from regietafel.api.regions import MunicipalityViewSet, PopulationViewSet, SourceViewSet

# Every resource: its address (a Dutch plural noun), viewset, route name and what it holds. The description is the
# resource's tag in the OpenAPI document (NL GOV: operations are grouped under declared, described tags).
RESOURCES = [
    ("gemeenten", MunicipalityViewSet, "municipality", _("Municipalities by CBS code, with their region.")),
    (
        "inwonertallen",
        PopulationViewSet,
        "population",
        _("Population per municipality and reference date (CBS)."),
    ),
    (
        "bronnen",
        SourceViewSet,
        "source",
        _("The sources that figures cite: publisher, title, date, address."),
    ),
    ("halfjaren", HalfYearViewSet, "half-year", _("National half-year numbers for housing status holders.")),
    (
        "taakstellingen",
        TargetViewSet,
        "target",
        _("Each municipality's housing target per half-year with carry-over, housed and remaining."),
    ),
    ("afspraken", AgreementViewSet, "agreement", _("A region's agreed distribution of its housing target.")),
    (
        "realisaties",
        RealisationViewSet,
        "realisation",
        _("Status holders housed per municipality and month."),
    ),
    (
        "toezichtstappen",
        SupervisionStepViewSet,
        "supervision-step",
        _("The steps of each province's intervention ladder for the housing task."),
    ),
    (
        "toezicht",
        SupervisionPlacementViewSet,
        "supervision",
        _("The step of the ladder a municipality is on."),
    ),
    (
        "corporatieafspraken",
        CorporationAgreementViewSet,
        "corporation-agreement",
        _("Homes for status holders agreed with housing corporations per year."),
    ),
    (
        "opvangtaken",
        ReceptionTaskViewSet,
        "reception-task",
        _("Reception tasks: national, provincial, indicative and agreed places."),
    ),
    ("locaties", LocationViewSet, "location", _("Reception locations with capacity and occupancy.")),
    ("tarieven", RateViewSet, "rate", _("What the state pays per reception place, per scheme and date.")),
    (
        "spreidingswetcycli",
        CycleViewSet,
        "cycle",
        _("The cycles of the Spreidingswet and the dates of their stages."),
    ),
    (
        "derdelanders",
        ThirdCountryNationalViewSet,
        "third-country-national",
        _("Third-country nationals from Ukraine per municipality, date and status (counts)."),
    ),
    (
        "derdelanderregels",
        ThirdCountryRuleViewSet,
        "third-country-rule",
        _("The versions of the state's rule for third-country nationals from Ukraine."),
    ),
    (
        "indicatoren",
        IndicatorViewSet,
        "indicator",
        _("Indicators beyond counts: definition, unit, norm, thresholds."),
    ),
    (
        "indicatorwaarden",
        ValueViewSet,
        "indicator-value",
        _("Indicator values per municipality, region or location and period, with their status."),
    ),
    ("vergaderingen", MeetingViewSet, "meeting", _("Meetings of the steering table.")),
    ("besluiten", DecisionViewSet, "decision", _("Decisions, with their meeting and agenda item.")),
    ("acties", ActionViewSet, "action", _("Actions that follow from decisions.")),
    (
        "doorverwijzingen",
        ReferralViewSet,
        "referral",
        _("Questions the table referred to other consultations."),
    ),
    ("signalen", SignalViewSet, "signal", _("Signals raised at the table by municipalities and partners.")),
    ("randvoorwaarden", ConditionViewSet, "condition", _("Conditions for an agreement with the state.")),
    ("partners", PartnerViewSet, "partner", _("The register of the table's partners.")),
    ("werkwijzen", PracticeViewSet, "practice", _("Practices municipalities share.")),
    (
        "huishoudens",
        HouseholdViewSet,
        "household",
        _("Linked households of status holders, pseudonymous (personal data: every read is logged)."),
    ),
    ("woningen", DwellingViewSet, "dwelling", _("Homes offered for status holders.")),
    ("koppelvoorstellen", ProposalViewSet, "proposal", _("Proposals that match households to homes.")),
]
