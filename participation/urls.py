from django.urls import path

from participation import views

urlpatterns = [
    path("participate/", views.participate, name="participate"),
]
