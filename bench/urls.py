from django.urls import path

from bench import views

urlpatterns = [
    path("baseline/", views.baseline, name="bench-baseline"),
]
