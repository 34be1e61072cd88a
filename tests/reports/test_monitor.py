"""The regional monitor report: its content, the PDF, report jobs, the pages and the command."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from regietafel.access.models import Membership, Role
from regietafel.core.figures import SourceList
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import HousingRealisation
from regietafel.meetings.models import Action
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area
from regietafel.reports import monitor, services
from regietafel.reports.models import ReportJob
from regietafel.reports.pdf import BASE_URL, StaticFilesOnly

END_2025 = datetime.date(2025, 12, 31)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def region(demo):
    return Area.objects.get(code="VR04")


def test_report_reads_the_region_as_it_was_on_the_date(region):
    report = monitor.build(region, END_2025)
    assert str(report.half_year) == "2025-H2"
    assert len(report.housing.rows) == 11
    assert sum(report.counts.values()) == 11
    # Realisation after the date is left out: housed equals the months up to and including December 2025.
    kampen = Area.objects.get(code="GM0166")
    months = HousingRealisation.objects.filter(
        municipality=kampen, month__gte=datetime.date(2025, 7, 1), month__lte=END_2025
    )
    assert report.housing.row_for(kampen).cells["housed"].value == sum(m.housed for m in months)
    earlier = monitor.build(region, datetime.date(2025, 9, 30))
    september = months.filter(month__lte=datetime.date(2025, 9, 30))
    assert earlier.housing.row_for(kampen).cells["housed"].value == sum(m.housed for m in september)
    assert report.is_demo  # the realisation is generated demo data


def test_trend_covers_the_last_half_years_up_to_the_date(region):
    report = monitor.build(region, END_2025)
    known = [h for h in HousingLedger(region).half_years() if str(h) <= "2025-H2"]
    assert [row.half_year for row in report.trend] == known[-4:]
    assert str(report.trend[-1].half_year) == "2025-H2"
    assert report.trend[-1].housed == report.housing.total.cells["housed"]


def test_every_bar_drawn_from_a_demo_figure_is_marked(region):
    """The charts carry the demo marker of the figures they draw (a bar is a value computed from them)."""
    report = monitor.build(region, END_2025)
    figures = {
        "housing": [
            [
                row.cells["corrected"] if row.cells["corrected"].known else row.cells["statutory"],
                row.cells["housed"],
            ]
            for row in report.housing.rows
        ],
        "trend": [[row.target, row.housed] for row in report.trend],
        "asylum": [[row.cells["task"], row.cells["capacity"]] for row in report.asylum.rows],
    }
    charts = {"housing": report.housing_chart, "trend": report.trend_chart, "asylum": report.asylum_chart}
    for name, chart in charts.items():
        for group, row in zip(chart.groups, figures[name], strict=True):
            assert [bar.is_demo for bar in group.bars] == [f.is_demo and f.known for f in row], name
    assert report.housing_chart.has_demo  # the demo's realisation
    html = render_to_string(
        "reports/_chart.html", {"chart": report.housing_chart, "title": "t", "chart_id": "c"}
    )
    demo_bars = sum(bar.is_demo for group in report.housing_chart.groups for bar in group.bars)
    assert html.count("(demo)") == demo_bars
    assert "from demo data" in html or "demogegevens" in html


def test_largest_changes_compare_with_the_previous_report(region):
    with translation.override("en"):
        report = monitor.build(region, END_2025, previous=datetime.date(2025, 9, 30))
    assert report.compared_with == datetime.date(2025, 9, 30)
    assert "previous" in report.compared_basis
    deltas = [abs(change.delta.value) for change in report.changes]
    assert deltas == sorted(deltas, reverse=True) and all(deltas)
    housed = [c for c in report.changes if c.measure == "Status holders housed this half-year"]
    for change in housed:
        months = HousingRealisation.objects.filter(
            municipality=change.area, month__gt=datetime.date(2025, 9, 30), month__lte=END_2025
        )
        assert change.delta.value == sum(m.housed for m in months)
    without = monitor.build(region, END_2025)
    assert without.compared_with == datetime.date(2025, 11, 30)


def test_previous_report_date_is_the_last_monitor_made_before(region):
    assert services.previous_report_date(region, END_2025) is None
    for day, status in (
        (datetime.date(2025, 10, 1), ReportJob.Status.DONE),
        (datetime.date(2025, 11, 1), ReportJob.Status.DONE),
        (datetime.date(2025, 12, 1), ReportJob.Status.FAILED),
        (datetime.date(2026, 2, 1), ReportJob.Status.DONE),
    ):
        ReportJob.objects.create(
            kind=ReportJob.Kind.MONITOR, region=region, reference_date=day, status=status
        )
    assert services.previous_report_date(region, END_2025) == datetime.date(2025, 11, 1)


def test_open_actions_follow_the_readers_access(region):
    partner_org = Organisation.objects.create(
        name="Partner zonder acties", kind=Organisation.Kind.CIVIL_SOCIETY
    )
    partner = get_user_model().objects.create_user("partner")
    Membership.objects.create(user=partner, role=Role.PARTNER, organisation=partner_org)
    Action.objects.create(title="Overleg met corporaties", deadline=END_2025, owner_organisation=None)
    Action.objects.create(title="Afgerond", deadline=END_2025, status=Action.Status.DONE)
    everything = monitor.build(region, END_2025)
    assert [a.title for a in everything.actions] == ["Overleg met corporaties"]
    assert everything.actions and all(a.status in Action.OPEN_STATUSES for a in everything.actions)
    assert monitor.build(region, END_2025, user=partner).actions == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_monitor_pdf_has_every_part_and_marks_demo_data(region, language):
    with translation.override(language):
        content = services.monitor_pdf(region, END_2025)
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 4
    text = pdf_text(content)
    assert "IJsselland" in text and "Zwartewaterland" in text
    headings = {
        "en": ["Summary", "Trend over the last half-years", "Largest changes", "Open actions", "Sources"],
        "nl": [
            "Samenvatting",
            "Trend over de laatste halfjaren",
            "Grootste veranderingen",
            "Open acties",
            "Bronnen",
        ],
    }[language]
    for heading in headings:
        assert heading in text, heading
    assert "demo" in text  # demo figures are marked
    assert ("Page 1 of" if language == "en" else "Pagina 1 van") in text


def test_pdf_fetches_nothing_but_our_static_files():
    fetcher = StaticFilesOnly()
    assert fetcher.fetch(BASE_URL + "static/regietafel/print.css").read().startswith(b"/*")
    for url in (
        "https://example.org/font.woff2",
        "http://127.0.0.1:8000/static/regietafel/print.css",
        "file:///etc/passwd",
        BASE_URL + "beheer/",
        BASE_URL + "static/../../settings.py",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_monitor_job_runs_in_the_background_and_is_downloadable(region, logged_in, user):
    response = logged_in.post(
        reverse("reports:start"), {"kind": "monitor", "region": "VR04", "reference_date": "2025-12-31"}
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.pk])
    assert job.status == ReportJob.Status.DONE and job.done == job.total == 1 and job.created_by == user
    page = logged_in.get(reverse("reports:job_status", args=[job.pk]))
    assert b"hx-trigger" not in page.content  # finished: the page stops asking
    download = logged_in.get(reverse("reports:job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="monitor-VR04-2025-12-31.pdf"'
    assert download.content.startswith(b"%PDF")


def test_a_running_job_page_keeps_asking_for_progress(region, logged_in, user):
    job = services.start(user, ReportJob.Kind.MONITOR, region, reference_date=END_2025, enqueue=False)
    page = logged_in.get(reverse("reports:job", args=[job.pk]))
    assert b'hx-trigger="every 1s"' in page.content
    assert b"<progress" in page.content


def test_bad_input_is_refused_with_a_message(region, client_en):
    response = client_en.post(
        reverse("reports:start"), {"kind": "monitor", "region": "VR04", "reference_date": "31-31-2025"}
    )
    assert response.status_code == 302 and not ReportJob.objects.exists()
    page = client_en.get(response["Location"])
    assert b"Reference date: Enter a valid date." in page.content
    response = client_en.post(reverse("reports:start"), {"kind": "poster"}, follow=True)
    assert b"Choose the monitor or the council letters." in response.content


def test_another_organisations_job_is_not_found(region, client):
    municipality = Organisation.objects.create(
        name="Gemeente Raalte",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=Area.objects.get(code="GM0177"),
    )
    other = Organisation.objects.create(
        name="Gemeente Kampen",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=Area.objects.get(code="GM0166"),
    )
    raalte, kampen = (get_user_model().objects.create_user(name) for name in ("raalte", "kampen"))
    Membership.objects.create(user=raalte, role=Role.MUNICIPALITY, organisation=municipality)
    Membership.objects.create(user=kampen, role=Role.MUNICIPALITY, organisation=other)
    job = services.start(raalte, ReportJob.Kind.MONITOR, region, reference_date=END_2025)
    client.force_login(kampen)
    for name in ("reports:job", "reports:job_status", "reports:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    client.force_login(raalte)
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 200


def test_monitor_page_shows_the_report_on_screen(region, client_en):
    page = client_en.get(reverse("reports:monitor"), {"region": "VR04", "reference_date": "2025-12-31"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Regional monitor IJsselland" in html and 'id="tabel-huisvesting"' in html
    assert html.count("<svg") >= 3 and "Figures in the table" in html
    assert client_en.get(reverse("reports:index")).status_code == 200


def test_the_summary_adds_up_what_is_known_where_the_region_total_is_not(region, client_en):
    """Issue 25: "Asielopvang: — plekken in gebruik" although some municipalities have figures. The summary gives
    the sum of the known ones and says of how many; a total of some is never shown as the total."""
    page = client_en.get(reverse("reports:monitor"), {"region": "VR04", "reference_date": "2025-12-31"})
    report = page.context["report"]
    summary = page.content.decode().split('<ul class="utrecht-unordered-list">', 1)[1].split("</ul>", 1)[0]
    checked = 0
    for table, line in ((report.asylum, "Asylum reception"), (report.minors, "Unaccompanied minors")):
        part = table.parts["capacity"]
        sentence = next(item for item in summary.split("<li>") if item.startswith(line))
        if table.total.cells["capacity"].known:
            continue
        assert 0 < part.known < part.of, (line, part)
        assert f"in the {part.known} municipalities of {part.of} whose figure is known" in sentence
        assert not sentence.split(":", 1)[1].lstrip().startswith('<span class="rt-unknown')
        checked += 1
    assert checked  # the demo leaves some municipalities without reception figures


def test_command_writes_the_monitor(region, tmp_path):
    out = tmp_path / "monitor.pdf"
    call_command("report", "monitor", "--region", "VR04", "--date", "2024-06-30", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    job = ReportJob.objects.get()
    assert job.created_by is None and job.reference_date == datetime.date(2024, 6, 30)


@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_queued_jobs(settings):
    from regietafel.operations.dataset import load_dataset

    load_dataset()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    region = Area.objects.get(code="VR04")
    job = services.start(None, ReportJob.Kind.MONITOR, region, reference_date=datetime.date(2025, 6, 30))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and bytes(job.content).startswith(b"%PDF")


def page_images(content: bytes, tmp_path) -> list:
    """The PDF's pages as greyscale images, drawn by poppler's pdftoppm (as a reader's viewer would)."""
    import shutil
    import subprocess

    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("poppler's pdftoppm is needed to check the pages: run 'make test' (it installs it).")
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "report.pdf"
    source.write_bytes(content)
    subprocess.run([pdftoppm, "-r", "40", "-gray", "-png", str(source), str(tmp_path / "page")], check=True)  # noqa: S603
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob("page-*.png"))]


def drawn(image) -> float:
    """The share of the page's pixel rows that hold anything darker than light grey."""
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    return sum(any(pixels[x, y] < 200 for x in range(0, width, 2)) for y in range(height)) / height


def test_every_page_is_drawn_within_its_margins(region, tmp_path):
    """Nothing runs off the A4 page: the outer 10 mm on the right stay white, no page is empty, and no text is set
    in a serif fallback font."""
    from regietafel.reports.letters import build_letter, letter_pdf

    documents = {
        "monitor": services.monitor_pdf(region, END_2025),
        # 2023-H2: Raalte's published target for 2023 adds a column to the housing table.
        "monitor 2023": services.monitor_pdf(region, END_2025.replace(year=2023)),
        "letter": letter_pdf(build_letter(Area.objects.get(code="GM0193"), monitor.HalfYear(2025, 2))),
    }
    for name, content in documents.items():
        # One sans-serif type throughout: a serif font is a fallback (the page footer was set in DejaVu Serif).
        fonts = {
            str(font.get_object()["/BaseFont"]).split("+")[-1]
            for page in PdfReader(io.BytesIO(content)).pages
            for font in page["/Resources"].get("/Font", {}).values()
        }
        assert fonts and not [font for font in fonts if "Serif" in font or "Times" in font], (name, fonts)
        pages = page_images(content, tmp_path / name)
        assert pages, name
        for number, image in enumerate(pages, start=1):
            width, height = image.size
            landscape = width > height
            # A4, portrait or (a wide table's pages) landscape.
            assert abs(min(width, height) / max(width, height) - 210 / 297) < 0.01, (name, number)
            strip = image.crop((width - round(width * 10 / (297 if landscape else 210)), 0, width, height))
            assert strip.getextrema()[0] > 200, (
                f"{name} page {number}: something is drawn in the right margin"
            )
            assert image.getextrema()[0] < 100, f"{name} page {number} is empty"
            if number < len(pages):
                # No page but the last is all but empty (a table's last rows or its caption left behind).
                assert drawn(image) >= 0.1, (
                    f"{name} page {number} is almost empty ({drawn(image):.0%} of its lines)"
                )


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_no_page_ends_with_a_heading_or_a_caption(region):
    """A heading or a table's caption at the foot of a page, its table or text on the next, reads as a page that
    stops mid-thought (issue 25: the AMV housing table's caption was left behind)."""
    for on in (END_2025, datetime.date(2026, 12, 1)):
        report = monitor.build(region, on)
        html = render_to_string(
            "reports/monitor_print.html",
            {"report": report, "sources": SourceList(), "made_at": timezone.now()},
        )
        titles = {
            _text(match)
            for match in re.findall(r"<(?:h[1-4]|caption)[^>]*>(.*?)</(?:h[1-4]|caption)>", html, flags=re.S)
        }
        pages = PdfReader(io.BytesIO(services.monitor_pdf(region, on))).pages
        for number, page in enumerate(pages[:-1], start=1):
            lines = [" ".join(line.split()) for line in page.extract_text().splitlines() if line.strip()]
            body = [line for line in lines if not re.search(r"(Pagina|Page) \d+ (van|of) \d+", line)]
            last = body[-1]
            assert not any(len(last) >= 8 and title.startswith(last) for title in titles), (
                f"{on} page {number} ends with {last!r}"
            )


def test_every_number_in_the_report_is_a_figure_with_its_sources(region):
    """A number in a number column is printed by {% figure %}: it cites its sources and carries the demo marker
    when it is computed from a demo figure (issue 25: a change of "+12" between two demo figures, and indicator
    counts of demo values, were printed bare)."""
    report = monitor.build(region, END_2025)
    html = render_to_string(
        "reports/monitor_print.html", {"report": report, "sources": SourceList(), "made_at": timezone.now()}
    )
    cells = re.findall(r'<td class="[^"]*rt-num[^"]*"[^>]*>(.*?)</td>', html, flags=re.S)
    bare = [_text(cell) for cell in cells if re.search(r"\d", _text(cell)) and "rt-figure" not in cell]
    assert cells and bare == []
    assert report.changes and all(change.delta.is_demo for change in report.changes)


def test_the_next_meeting_is_named_with_its_date_once(region):
    """A meeting's title often holds its date ("RRVIJ 5 november 2026"): the report does not say it twice."""
    from regietafel.meetings.models import Body, Meeting

    body = Body.objects.filter(kind=Body.Kind.STEERING_TABLE).first() or Body.objects.create(
        name="RRVIJ", kind=Body.Kind.STEERING_TABLE, region=region
    )
    starts = timezone.make_aware(datetime.datetime(2026, 1, 8, 10))
    Meeting.objects.filter(starts_at__date__gt=END_2025).delete()
    meeting = Meeting.objects.create(body=body, title="RRVIJ 8 januari 2026", starts_at=starts)
    report = monitor.build(region, END_2025)
    assert report.next_meeting == meeting
    context = {"report": report, "sources": SourceList(), "made_at": timezone.now()}
    with translation.override("nl"):
        date = f"{meeting.starts_at.day} " + formats.date_format(meeting.starts_at, "F Y")
        text = _text(render_to_string("reports/monitor_print.html", context))
    line = re.search(r"Volgende vergadering: [^.]*\.", text).group(0)
    assert line.count(date) == 1, line
