from django.contrib import admin

from regietafel.accounts.models import ExternalIdentity


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "issuer", "created_at"]
    list_filter = ["issuer"]
    readonly_fields = ["user", "issuer", "subject", "created_at"]

    def has_add_permission(self, request):
        # Links are made by the first SSO login only; a beheerder may remove one.
        return False
