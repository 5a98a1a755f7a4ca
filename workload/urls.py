from django.urls import path

from workload import views

urlpatterns = [
    path("workload/", views.report, name="workload-report"),
    path("workload/export.csv", views.export, name="workload-export"),
    path("workload/snapshots/new/", views.take_snapshot, name="workload-take-snapshot"),
    path("workload/departments/<int:pk>/", views.department, name="workload-department"),
]
