"""Django's admin, for the program team only: other roles never get in, whatever their staff flag says."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig

from regietafel.access.scope import principal


class RegietafelAdminSite(AdminSite):
    site_header = "Regietafel"

    def has_permission(self, request):
        return super().has_permission(request) and principal(request.user).is_admin


class RegietafelAdminConfig(AdminConfig):
    default_site = "regietafel.admin.RegietafelAdminSite"
