"""Letters for a whole region: one job, progress per letter, a failing letter named and the others still made."""

import io
import shutil
import subprocess
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from regietafel.access.models import Membership, Role
from regietafel.domain.targets import HalfYear
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area
from regietafel.reports import services
from regietafel.reports.models import ReportJob

H2_2025 = HalfYear(2025, 2)


@pytest.fixture
def region(demo):
    return Area.objects.get(code="VR04")


def test_letters_job_makes_a_docx_and_a_pdf_per_municipality(region, logged_in):
    response = logged_in.post(
        reverse("reports:start"), {"kind": "letters", "region": "VR04", "half_year": "2025-H2"}
    )
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    assert (job.status, job.done, job.total, job.failures) == (ReportJob.Status.DONE, 11, 11, [])
    archive = zipfile.ZipFile(io.BytesIO(bytes(job.content)))
    names = sorted(archive.namelist())
    assert len(names) == 22
    assert "raadsinformatiebrief-GM0177-raalte-2025-H2.docx" in names
    document = Document(io.BytesIO(archive.read("raadsinformatiebrief-GM0177-raalte-2025-H2.docx")))
    assert any("Raalte" in paragraph.text for paragraph in document.paragraphs)
    assert archive.read("raadsinformatiebrief-GM0177-raalte-2025-H2.pdf").startswith(b"%PDF")


def test_a_failing_letter_is_named_and_the_others_are_made(region, monkeypatch):
    from regietafel.reports import services as module

    real = module.build_letter

    def build(municipality, half_year):
        if municipality.code == "GM0166":
            raise ValueError("no target for Kampen")
        return real(municipality, half_year)

    monkeypatch.setattr(module, "build_letter", build)
    seen = []
    job = services.run(
        services.start(None, ReportJob.Kind.LETTERS, region, half_year=H2_2025, enqueue=False),
        on_progress=lambda current: seen.append(current.done),
    )
    assert job.status == ReportJob.Status.DONE and job.done == 11
    assert seen == [*range(1, 12), 11]  # after every letter, and once more when finished
    assert job.failures == [{"code": "GM0166", "name": "Kampen", "error": "no target for Kampen"}]
    names = zipfile.ZipFile(io.BytesIO(bytes(job.content))).namelist()
    assert len([n for n in names if n.endswith(".docx")]) == 10
    assert not any("GM0166" in name for name in names)
    assert "mislukt.txt" in names or "failures.txt" in names


def test_a_municipality_makes_only_its_own_letter(region, client):
    raalte = Area.objects.get(code="GM0177")
    organisation = Organisation.objects.create(
        name="Gemeente Raalte", kind="municipality", municipality=raalte
    )
    user = get_user_model().objects.create_user("raalte")
    Membership.objects.create(user=user, role=Role.MUNICIPALITY, organisation=organisation)
    job = services.start(user, ReportJob.Kind.LETTERS, region, half_year=H2_2025)
    job.refresh_from_db()
    assert job.municipalities == ["GM0177"] and job.total == 1
    client.force_login(user)
    assert client.get(reverse("reports:letter", args=["GM0177", "2025-H2", "pdf"])).status_code == 200
    assert client.get(reverse("reports:letter", args=["GM0166", "2025-H2", "pdf"])).status_code == 404


def test_a_partner_cannot_make_letters(region):
    organisation = Organisation.objects.create(name="Partner", kind="civil_society")
    user = get_user_model().objects.create_user("partner")
    Membership.objects.create(user=user, role=Role.PARTNER, organisation=organisation)
    with pytest.raises(services.ReportError):
        services.start(user, ReportJob.Kind.LETTERS, region, half_year=H2_2025)
    assert not ReportJob.objects.exists()


def test_command_writes_every_letter_and_names_failures(region, tmp_path, monkeypatch, capsys):
    call_command(
        "report", "letters", "--region", "VR04", "--half-year", "2025-H2", "--out", str(tmp_path / "all")
    )
    assert len(list((tmp_path / "all").glob("*.docx"))) == 11
    assert "[11/11] Zwolle" in capsys.readouterr().out

    from regietafel.reports import services as module

    def broken(municipality, half_year):
        raise RuntimeError("template missing")

    monkeypatch.setattr(module, "build_letter", broken)
    with pytest.raises(CommandError, match="1 of 1 letters failed"):
        call_command(
            "report",
            "letters",
            "--half-year",
            "2025-H2",
            "--municipality",
            "GM0177",
            "--out",
            str(tmp_path / "one"),
        )
    assert "Raalte: failed: template missing" in capsys.readouterr().err
    with pytest.raises(CommandError, match="not a half-year"):
        call_command("report", "letters", "--half-year", "2025-3", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="Unknown region"):
        call_command(
            "report", "monitor", "--region", "XX99", "--date", "2025-12-31", "--out", str(tmp_path / "m.pdf")
        )


def test_letters_open_in_libreoffice(region, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is needed to check the letters: run 'make test' (it installs it).")
    call_command(
        "report", "letters", "--half-year", "2025-H2", "--municipality", "GM0177", "--out", str(tmp_path)
    )
    docx = next(tmp_path.glob("*.docx"))
    subprocess.run(  # noqa: S603 (our own file names)
        [soffice, "--headless", "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(docx)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = docx.with_suffix(".txt").read_text(encoding="utf-8-sig")
    assert "Raalte" in text and "Kennis te nemen van" in text
