from django.utils.translation import gettext_lazy as _
from oidc_provider.lib.claims import ScopeClaims


def userinfo(claims, user):
    """The standard claims (scopes profile and email) from the provider's user."""
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["name"] = f"{user.first_name} {user.last_name}".strip()
    claims["email"] = user.email
    claims["preferred_username"] = user.username
    return claims


class OrganisationClaims(ScopeClaims):
    """Scope "organisation": the claim the application reads, from the user's (first) group; and claims that
    try to grant rights, which the application must ignore."""

    info_organisation = (_("Organisation"), _("The organisation you work for."))

    def scope_organisation(self):
        group = self.user.groups.order_by("name").first()
        return {"organisation": group.name if group else None, "role": "beheerder", "is_superuser": True}
