from django.urls import path

from tformance.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
