import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regietafel.meetings.services import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail the owners of actions that are due within --days days or overdue, once per action per day. "
        "Safe to run from cron every day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to act as today (YYYY-MM-DD); default: today.")
        parser.add_argument("--days", type=int, default=7, help="Remind this many days before the deadline.")

    def handle(self, *args, today, days, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today: '{today}' is geen datum (JJJJ-MM-DD).") from exc
        if days < 0:
            raise CommandError("--days: moet 0 of groter zijn.")
        sent, unreachable = send_reminders(day, days)
        for reminder in sent:
            action = reminder.action
            # Addresses stay out of the output: cron mails and logs it.
            count = len(reminder.recipients.split(", "))
            self.stdout.write(
                f"{action.deadline.isoformat()} actie {action.pk}: {action.title} ({count} ontvanger(s))"
            )
        for action in unreachable:
            self.stderr.write(f"geen e-mailadres voor de eigenaar van actie {action.pk}: {action.title}")
        self.stdout.write(f"sent: {len(sent)}")
