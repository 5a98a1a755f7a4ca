from django.urls import path

from participation.views import pages

urlpatterns = [
    path("participate/", pages.participate, name="participate"),
]
