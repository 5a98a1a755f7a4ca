"""The workload report's models move to the ``workload`` app; their tables stay.

State only: Django forgets the models here and ``workload.0001_initial`` adopts
them with the same table names, so not a row is copied or moved.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0005_workload"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                # The rows and figures point at the snapshot: they go first.
                migrations.DeleteModel(name="WorkloadRow"),
                migrations.DeleteModel(name="WorkloadDepartmentFigure"),
                migrations.DeleteModel(name="WorkloadSnapshot"),
            ],
        ),
    ]
