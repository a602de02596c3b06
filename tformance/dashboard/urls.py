from django.urls import path

from tformance.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("<slug:slug>/", views.team_dashboard, name="team"),
]
