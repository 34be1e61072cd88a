import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regietafel.housing.services import notify_figures
from regietafel.meetings.services import notify_due_actions
from regietafel.notifications.services import retry, send_digests


class Command(BaseCommand):
    help = (
        "The day's notifications: actions due within --days days or overdue, municipalities' monthly figures due "
        "or late; e-mails that failed are tried again; the daily digests are sent. Each event is told once, so it "
        "is safe to run from cron every day (or every hour)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to act as today (YYYY-MM-DD); default: today.")
        parser.add_argument(
            "--days", type=int, default=7, help="Tell of an action this many days before its deadline."
        )

    def handle(self, *args, today, days, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today: '{today}' is geen datum (JJJJ-MM-DD).") from exc
        if days < 0:
            raise CommandError("--days: moet 0 of groter zijn.")
        actions, unreachable = notify_due_actions(day, days)
        for action in unreachable:
            # Names and addresses stay out of the output: cron mails and logs it.
            self.stderr.write(f"niemand met een e-mailadres bij de eigenaar van actie {action.pk}")
        figures = notify_figures(day)
        retried = retry()
        digests = send_digests()
        self.stdout.write(f"actions: {actions}, figures: {figures}, retried: {retried}, digests: {digests}")
