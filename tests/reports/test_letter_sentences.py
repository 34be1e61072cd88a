"""Every sentence of the council letter, read for a set of edge cases (issue 25): all municipalities on schedule,
none reported, one behind, all behind, all far behind, a municipality that met its target. The sentences must agree
with each other and with the monitor's statuses, and read as grammatical Dutch and English for any count.

The figures: the embedded data set's national numbers and populations, opening balances of zero, and three months of
realisation per municipality (January-March 2025), chosen per case as a share of the half of the target that is due
by 1 April."""

import datetime
import re
from fractions import Fraction

import pytest
from django.utils import translation

from regietafel.core.sources import cite
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import HousingRealisation, OpeningBalance
from regietafel.monitor.tables import housing_table
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area
from regietafel.reports.letters import FactTable, build_letter
from regietafel.reports.progress import Progress

H1 = HalfYear(2025, 1)
ON = datetime.date(2025, 5, 1)
SOURCE = "COA maandrapportage (zinnentest)"
ON_TIME, BEHIND, FAR_BEHIND, MET = Fraction(1), Fraction(82, 100), Fraction(0), None

# Per case: the share of the due number each municipality housed (MET: its whole target); a code not listed
# reported nothing. Raalte (GM0177) is the municipality whose letter is read, with Zwolle's as a second.
ALL = [
    "GM0148",
    "GM0150",
    "GM0160",
    "GM0166",
    "GM0175",
    "GM0177",
    "GM0180",
    "GM0193",
    "GM1708",
    "GM1773",
    "GM1896",
]
CASES = {
    "all on schedule": dict.fromkeys(ALL, ON_TIME),
    "none reported": {},
    "one behind": {**dict.fromkeys(ALL, ON_TIME), "GM0193": BEHIND},
    "one far behind": {**dict.fromkeys(ALL, ON_TIME), "GM0177": FAR_BEHIND},
    "all behind": dict.fromkeys(ALL, BEHIND),
    "all far behind": dict.fromkeys(ALL, FAR_BEHIND),
    "mixed, some unknown": {"GM0177": MET, "GM0193": BEHIND, "GM0166": FAR_BEHIND, "GM0150": ON_TIME},
}
READ = ("GM0177", "GM0193")

# A count of one with a plural noun, in either language ("1 status holders", "1 gemeenten").
ONE_PLURAL = re.compile(
    r"\b1 (status holders|municipalities|half-years|places|indicators|minors|"
    r"statushouders|gemeenten|halfjaren|plekken|plaatsen|indicatoren|minderjarigen)\b"
)


def realise(case: dict) -> None:
    region = Area.objects.get(code="VR04")
    ledger = HousingLedger(region)
    sourced = {"source": cite(SOURCE, "H"), "reference_date": datetime.date(2025, 4, 1)}
    for code, share in case.items():
        municipality = Area.objects.get(code=code)
        target = ledger.statutory(municipality, H1)[0].value
        OpeningBalance.objects.create(municipality=municipality, half_year=str(H1), balance=0, **sourced)
        housed = target if share is None else int(share * Fraction(target, 2))
        for index, month in enumerate(H1.months()[:3]):
            count = housed // 3 + (1 if index < housed % 3 else 0)
            HousingRealisation.objects.create(municipality=municipality, month=month, housed=count, **sourced)


def sentences(letter) -> list[str]:
    found = [letter.title, *(f"{label}: {value}" for label, value in letter.meta)]
    for _level, section in letter.outline():
        for block in section.blocks:
            if isinstance(block, FactTable):
                found += [f"{fact.label}: {fact.value}" for fact in block.facts]
            else:
                found += [part for part in re.split(r"(?<=\.) (?=[A-Z])", block) if part]
    return found + [letter.closing]


def monitor_statuses() -> list[Progress | None]:
    from regietafel.reports.letters import _table_progress

    table = housing_table(HousingLedger(Area.objects.get(code="VR04"), ON), H1)
    return [_table_progress(row) for row in table.rows]


@pytest.mark.parametrize("case", list(CASES))
def test_every_sentence_of_the_letter_agrees_with_the_figures_and_the_others(dataset, case):
    realise(CASES[case])
    statuses = monitor_statuses()
    behind = sum(status in (Progress.BEHIND, Progress.FAR_BEHIND) for status in statuses)
    far_behind = sum(status == Progress.FAR_BEHIND for status in statuses)
    unknown = sum(status is None for status in statuses)
    problems = []
    for language in ("en", "nl"):
        with translation.override(language):
            for code in READ:
                letter = build_letter(Area.objects.get(code=code), H1, ON)
                read = sentences(letter)
                text = "\n".join(read)
                where = f"{case} {language} {code}"
                problems += [f"{where}: {line!r}" for line in read if ONE_PLURAL.search(line)]
                problems += [
                    f"{where}: placeholder in {line!r}" for line in read if "%(" in line or "{" in line
                ]
                problems += [
                    f"{where}: empty or doubled in {line!r}" for line in read if "  " in line or ",," in line
                ]
                if language == "en":
                    problems += check_english(where, text, letter, behind, far_behind, unknown)
    assert problems == []


def check_english(where: str, text: str, letter, behind: int, far_behind: int, unknown: int) -> list[str]:
    problems = []
    says = lambda phrase: phrase in text  # noqa: E731
    if behind:
        expected = f"Of the 11 municipalities in IJsselland, {behind} {'is' if behind == 1 else 'are'} behind"
        if not says(expected):
            problems.append(f"{where}: the region's count of municipalities behind is not {behind}")
        if far_behind == behind and not says("far behind." if behind == 1 else "All of them are far behind."):
            problems.append(f"{where}: all behind are far behind, and the letter does not say so plainly")
        if far_behind == behind and re.search(r"Of these, \d+ (is|are) far behind", text):
            problems.append(f"{where}: 'of these, N are far behind' where N is all of them")
        if 0 < far_behind < behind and not says(
            f"Of these, {far_behind} {'is' if far_behind == 1 else 'are'}"
        ):
            problems.append(f"{where}: the count far behind is not {far_behind}")
    elif unknown < 11 and not re.search(r"None of the .* is behind on its target", text):
        problems.append(f"{where}: no municipality is behind, and the letter does not say so")
    if not behind and "behind on their targets" in text:
        problems.append(f"{where}: says municipalities are behind where none is")
    judged = re.search(r"(The municipality of \w+|as a whole) is (ahead|on schedule|behind|far behind)", text)
    if unknown == 11 and judged:
        problems.append(f"{where}: a status without any realisation")
    if unknown and not says(
        f"For {unknown} municipalit{'y' if unknown == 1 else 'ies'} the position is not known"
    ):
        problems.append(f"{where}: the count of municipalities without a position is not {unknown}")
    if "has already met its target" in text and "to work on meeting its target" in text:
        problems.append(f"{where}: the target is met, and yet the municipality 'works on meeting it'")
    if "Agreed target: not known" in text or "Published target: not known" in text:
        problems.append(f"{where}: 'not known' where no agreement or publication simply exists")
    if re.search(r"\d \(demo\)%", text):
        problems.append(f"{where}: a demo marker inside a percentage")
    for label in ("To", "From", "Subject", "Date"):
        if label not in dict(letter.meta):
            problems.append(f"{where}: no {label} in the head of the letter")
    return problems


def test_the_letter_is_addressed_to_the_council_and_signed_as_the_municipality_says(dataset):
    realise(CASES["one behind"])
    raalte = Area.objects.get(code="GM0177")
    Organisation.objects.create(
        name="Gemeente Raalte",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=raalte,
        mayor="M. Burgemeester",
        town_clerk="S. Secretaris",
        portfolio_holder="wethouder P. Houder",
    )
    with translation.override("nl"):
        letter = build_letter(raalte, H1, ON)
    meta = dict(letter.meta)
    assert meta["Aan"] == "de gemeenteraad van Raalte"
    assert meta["Portefeuillehouder"] == "wethouder P. Houder"
    assert "Raalte" in meta["Onderwerp"] and "eerste halfjaar 2025" in meta["Onderwerp"]
    assert letter.closing == "Burgemeester en wethouders van Raalte,"
    assert letter.signatories == [("de secretaris", "S. Secretaris"), ("de burgemeester", "M. Burgemeester")]
