"""The content types of the moved models change their app label, participation -> workload.

Permissions (``view_workloadsnapshot`` etc.), the groups and people they are given
to, and the admin's history point at a content type by id: renaming the row in
place keeps them all. On a fresh database there is nothing to rename yet
(content types are created after ``migrate``), so this does nothing there.
"""

from django.db import migrations

MODELS = ["workloadsnapshot", "workloaddepartmentfigure", "workloadrow"]


def _relabel(apps, old_label, new_label):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if content_type.objects.filter(app_label=new_label, model=model).exists():
            # Already there (created by a post_migrate of a newer state): keep it and
            # leave the old row to ``remove_stale_contenttypes``.
            continue
        content_type.objects.filter(app_label=old_label, model=model).update(app_label=new_label)
    content_type.objects.clear_cache()


def forwards(apps, schema_editor):
    _relabel(apps, "participation", "workload")


def backwards(apps, schema_editor):
    _relabel(apps, "workload", "participation")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("workload", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
