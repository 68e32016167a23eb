"""The statistics models, taken over from `mobilization` with their rows and history.

mobilization 0005 dropped them from its state only; here they enter this app's state under the
tables that hold them (`mobilization_*`), without touching the database, and then the tables are
renamed to this app's names. On a new database the same steps run on the empty tables that
mobilization 0002 created."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('mobilization', '0005_statistics_move_to_reporting'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalMemberUnitYearStatus',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created', models.DateTimeField(blank=True, db_index=True, editable=False, verbose_name='created')),
                        ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('phase', models.CharField(choices=[('plan', 'Plan (start of year)'), ('supervision', 'Supervision (mid-year)'), ('evaluation', 'Evaluation (year end)')], max_length=16, verbose_name='phase')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('submitted', 'Submitted'), ('accepted', 'Accepted')], default='not_started', max_length=16, verbose_name='status')),
                        ('note', models.CharField(blank=True, max_length=255, verbose_name='note')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mobilization.memberunit', verbose_name='member unit')),
                    ],
                    options={
                        'db_table': 'mobilization_historicalmemberunityearstatus',
                        'verbose_name': 'historical member unit year status',
                        'verbose_name_plural': 'historical member unit year statuses',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalStatisticsReport',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created', models.DateTimeField(blank=True, db_index=True, editable=False, verbose_name='created')),
                        ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                        ('period_kind', models.CharField(choices=[('monthly', 'Monthly'), ('quarterly', 'Quarterly'), ('yearly', 'Yearly'), ('plan', 'Annual plan (start of year)'), ('supervision', 'Supervision (mid-year)'), ('evaluation', 'Evaluation (year end)')], max_length=16, verbose_name='period kind')),
                        ('period_start', models.DateField(verbose_name='period start')),
                        ('period_end', models.DateField(verbose_name='period end')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('returned', 'Returned')], default='draft', max_length=16, verbose_name='status')),
                        ('remarks', models.TextField(blank=True, verbose_name='remarks')),
                        ('figures', models.JSONField(blank=True, default=dict, editable=False, verbose_name='figures')),
                        ('figures_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='figures computed at')),
                        ('submitted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='submitted at')),
                        ('decided_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='decided at')),
                        ('return_reason', models.TextField(blank=True, editable=False, verbose_name='reason for return')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('decided_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('office', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mobilization.office', verbose_name='office')),
                        ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'db_table': 'mobilization_historicalstatisticsreport',
                        'verbose_name': 'historical statistics report',
                        'verbose_name_plural': 'historical statistics reports',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='MemberUnitYearStatus',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created')),
                        ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('phase', models.CharField(choices=[('plan', 'Plan (start of year)'), ('supervision', 'Supervision (mid-year)'), ('evaluation', 'Evaluation (year end)')], max_length=16, verbose_name='phase')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('submitted', 'Submitted'), ('accepted', 'Accepted')], default='not_started', max_length=16, verbose_name='status')),
                        ('note', models.CharField(blank=True, max_length=255, verbose_name='note')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='year_statuses', to='mobilization.memberunit', verbose_name='member unit')),
                    ],
                    options={
                        'db_table': 'mobilization_memberunityearstatus',
                        'verbose_name': 'member unit year status',
                        'verbose_name_plural': 'member unit year statuses',
                        'ordering': ['-year', 'unit_id', 'phase'],
                        'constraints': [models.UniqueConstraint(fields=('unit', 'year', 'phase'), name='one_status_per_unit_phase')],
                    },
                ),
                migrations.CreateModel(
                    name='StatisticsReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created')),
                        ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('period_kind', models.CharField(choices=[('monthly', 'Monthly'), ('quarterly', 'Quarterly'), ('yearly', 'Yearly'), ('plan', 'Annual plan (start of year)'), ('supervision', 'Supervision (mid-year)'), ('evaluation', 'Evaluation (year end)')], max_length=16, verbose_name='period kind')),
                        ('period_start', models.DateField(verbose_name='period start')),
                        ('period_end', models.DateField(verbose_name='period end')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('returned', 'Returned')], default='draft', max_length=16, verbose_name='status')),
                        ('remarks', models.TextField(blank=True, verbose_name='remarks')),
                        ('figures', models.JSONField(blank=True, default=dict, editable=False, verbose_name='figures')),
                        ('figures_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='figures computed at')),
                        ('submitted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='submitted at')),
                        ('decided_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='decided at')),
                        ('return_reason', models.TextField(blank=True, editable=False, verbose_name='reason for return')),
                        ('decided_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='statistics_reports', to='mobilization.office', verbose_name='office')),
                        ('submitted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'db_table': 'mobilization_statisticsreport',
                        'verbose_name': 'statistics report',
                        'verbose_name_plural': 'statistics reports',
                        'ordering': ['-period_start', 'office_id'],
                        'constraints': [models.UniqueConstraint(fields=('office', 'period_kind', 'period_start'), name='one_report_per_period')],
                    },
                ),
                migrations.CreateModel(
                    name='StatisticsSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created')),
                        ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('period_kind', models.CharField(choices=[('monthly', 'Monthly'), ('quarterly', 'Quarterly'), ('yearly', 'Yearly')], max_length=16, verbose_name='period kind')),
                        ('period_start', models.DateField(verbose_name='period start')),
                        ('period_end', models.DateField(verbose_name='period end')),
                        ('figures', models.JSONField(default=dict, verbose_name='figures')),
                        ('workbook', models.FileField(blank=True, upload_to='statistics/snapshots/', verbose_name='workbook')),
                        ('generated_at', models.DateTimeField(blank=True, null=True, verbose_name='generated at')),
                        ('duration_ms', models.PositiveIntegerField(default=0, verbose_name='duration (ms)')),
                        ('generated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='generated by')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='mobilization.region', verbose_name='region')),
                    ],
                    options={
                        'db_table': 'mobilization_statisticssnapshot',
                        'verbose_name': 'statistics snapshot',
                        'verbose_name_plural': 'statistics snapshots',
                        'ordering': ['-period_start', 'region_id', 'period_kind'],
                        'constraints': [models.UniqueConstraint(fields=('region', 'period_kind', 'period_start'), name='one_snapshot_per_period')],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable('historicalmemberunityearstatus', None),
        migrations.AlterModelTable('historicalstatisticsreport', None),
        migrations.AlterModelTable('memberunityearstatus', None),
        migrations.AlterModelTable('statisticsreport', None),
        migrations.AlterModelTable('statisticssnapshot', None),
    ]
