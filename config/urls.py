from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("tformance.accounts.urls")),
    path("onboarding/", include("tformance.onboarding.urls")),
    path("t/", include("tformance.dashboard.urls")),
    path("", include("tformance.teams.urls")),
    path("", include("tformance.core.urls")),
]
