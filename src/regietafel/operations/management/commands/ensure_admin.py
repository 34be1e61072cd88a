import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the first administrator with a random password, printed once. Does nothing if one exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="beheerder")

    def handle(self, *args, username, **options):
        users = get_user_model()
        if users.objects.filter(is_superuser=True).exists():
            self.stdout.write("Er is al een beheerder; het wachtwoord wordt niet opnieuw getoond.")
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password)
        line = "=" * 60
        self.stdout.write(
            f"{line}\nBeheerder aangemaakt. Bewaar dit wachtwoord: het wordt maar één keer getoond.\n"
            f"  gebruikersnaam: {username}\n  wachtwoord:     {password}\n{line}"
        )
