from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from oidc_provider.models import Client, ResponseType

# Provider users: user name -> (given name, family name, e-mail, organisation claim or None).
USERS = {
    "anna": ("Anna", "de Vries", "anna@raalte.example", "GM0177"),
    "bram": ("Bram", "Jansen", "bram@elders.example", "Gemeente Nergenshuizen"),
}


class Command(BaseCommand):
    help = "Register the application as a client and create the provider's test users."

    def add_arguments(self, parser):
        parser.add_argument("--redirect-uri", required=True)
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--password", required=True)

    def handle(self, *args, redirect_uri, client_id, client_secret, password, **options):
        client = Client.objects.create(
            name="Regietafel",
            client_type="confidential",
            client_id=client_id,
            client_secret=client_secret,
            jwt_alg="RS256",
            require_consent=False,
            reuse_consent=True,
        )
        client.redirect_uris = [redirect_uri]
        client.scope = ["openid", "profile", "email", "organisation"]
        client.save()
        client.response_types.add(ResponseType.objects.get(value="code"))
        for username, (first, last, email, organisation) in USERS.items():
            user = User.objects.create_user(
                username, email=email, password=password, first_name=first, last_name=last
            )
            if organisation:
                user.groups.add(Group.objects.get_or_create(name=organisation)[0])
