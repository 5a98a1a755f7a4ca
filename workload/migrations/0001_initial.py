"""The workload report's models, adopted from participation with their tables.

State only: the tables were created by ``participation.0005_workload`` and keep
their names (``db_table``), so the rows stay where they are. On a database that
never had them the participation migrations create them first.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_notification_delivery'),
        ('participation', '0006_workload_moves_to_its_own_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='WorkloadSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('employee_count', models.PositiveIntegerField(default=0, verbose_name='employees')),
                        ('weekly_hours', models.PositiveIntegerField(default=0, verbose_name='weekly hours')),
                        ('project_hours', models.PositiveIntegerField(default=0, verbose_name='project hours')),
                        ('project_share', models.DecimalField(decimal_places=4, default=0, max_digits=7, verbose_name='share in projects')),
                        ('below_count', models.PositiveIntegerField(default=0, verbose_name='below target')),
                        ('on_count', models.PositiveIntegerField(default=0, verbose_name='on target')),
                        ('above_count', models.PositiveIntegerField(default=0, verbose_name='above target')),
                        ('over_count', models.PositiveIntegerField(default=0, verbose_name='over-allocated')),
                        ('histogram', models.JSONField(blank=True, default=list, verbose_name='distribution of shares')),
                        ('reference_date', models.DateField(verbose_name='reference date')),
                        ('taken_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='taken at')),
                        ('origin', models.CharField(choices=[('scheduled', 'Monthly schedule'), ('admin', 'Admin action'), ('button', 'Button on the report')], max_length=20, verbose_name='taken by')),
                        ('target', models.DecimalField(decimal_places=3, max_digits=4, verbose_name='target share')),
                        ('tolerance', models.DecimalField(decimal_places=3, max_digits=4, verbose_name='tolerance')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='workload_snapshots', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                    ],
                    options={
                        'db_table': 'participation_workloadsnapshot',
                        'verbose_name': 'workload snapshot',
                        'verbose_name_plural': 'workload snapshots',
                        'ordering': ['-reference_date', '-taken_at', '-id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('origin', 'scheduled')), fields=('reference_date',), name='one_scheduled_workload_snapshot_per_date')],
                    },
                ),
                migrations.CreateModel(
                    name='WorkloadRow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('employee_name', models.CharField(max_length=200, verbose_name='name')),
                        ('department_code', models.CharField(blank=True, max_length=20, verbose_name='short code')),
                        ('department_name', models.CharField(blank=True, max_length=200, verbose_name='department')),
                        ('department_lineage', models.CharField(blank=True, max_length=200, verbose_name='lineage')),
                        ('weekly_hours', models.PositiveSmallIntegerField(verbose_name='weekly hours')),
                        ('project_hours', models.PositiveIntegerField(verbose_name='project hours')),
                        ('project_share', models.DecimalField(decimal_places=4, max_digits=7, verbose_name='share in projects')),
                        ('state', models.CharField(choices=[('below', 'Below target'), ('on', 'On target'), ('above', 'Above target'), ('over', 'Over-allocated')], max_length=10, verbose_name='state')),
                        ('department', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='workload_rows', to='accounts.department', verbose_name='department')),
                        ('employee', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='workload_rows', to=settings.AUTH_USER_MODEL, verbose_name='employee')),
                        ('snapshot', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='workload.workloadsnapshot', verbose_name='snapshot')),
                    ],
                    options={
                        'db_table': 'participation_workloadrow',
                        'verbose_name': 'workload row',
                        'verbose_name_plural': 'workload rows',
                        'ordering': ['snapshot_id', 'department_code', 'employee_name', 'id'],
                        'indexes': [models.Index(fields=['employee', 'snapshot'], name='participati_employe_c39e2f_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='WorkloadDepartmentFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('employee_count', models.PositiveIntegerField(default=0, verbose_name='employees')),
                        ('weekly_hours', models.PositiveIntegerField(default=0, verbose_name='weekly hours')),
                        ('project_hours', models.PositiveIntegerField(default=0, verbose_name='project hours')),
                        ('project_share', models.DecimalField(decimal_places=4, default=0, max_digits=7, verbose_name='share in projects')),
                        ('below_count', models.PositiveIntegerField(default=0, verbose_name='below target')),
                        ('on_count', models.PositiveIntegerField(default=0, verbose_name='on target')),
                        ('above_count', models.PositiveIntegerField(default=0, verbose_name='above target')),
                        ('over_count', models.PositiveIntegerField(default=0, verbose_name='over-allocated')),
                        ('histogram', models.JSONField(blank=True, default=list, verbose_name='distribution of shares')),
                        ('department_code', models.CharField(max_length=20, verbose_name='short code')),
                        ('department_name', models.CharField(max_length=200, verbose_name='department')),
                        ('lineage', models.CharField(max_length=200, verbose_name='lineage')),
                        ('depth', models.PositiveSmallIntegerField(default=0, verbose_name='depth')),
                        ('department', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='workload_figures', to='accounts.department', verbose_name='department')),
                        ('snapshot', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='department_figures', to='workload.workloadsnapshot', verbose_name='snapshot')),
                    ],
                    options={
                        'db_table': 'participation_workloaddepartmentfigure',
                        'verbose_name': 'department figure',
                        'verbose_name_plural': 'department figures',
                        'ordering': ['snapshot_id', 'department_code'],
                        'constraints': [models.UniqueConstraint(fields=('snapshot', 'department'), name='one_figure_per_department_and_snapshot')],
                    },
                ),
            ],
        ),
    ]
