from django.contrib.auth import views as auth_views
from django.urls import path

from regietafel.access.decorators import no_role_needed

urlpatterns = [
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", no_role_needed(auth_views.LogoutView.as_view()), name="logout"),
]
