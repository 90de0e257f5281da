"""The actions app's migrations 0008-0010 in one (issue #24: a new database migrates
in seconds), after lessons' tables (0008's benefit measure) as before.

The state change is the one the old migrations make (generated from the states
before and after them), wrapped in AddToModels: one render of the project, not one
for each field. A new database runs this one; a database with all of 0008-0010
applied takes it as applied; one with some of them applied goes on with the old
files. Dependencies name the old migrations: Django points them at the squashed
ones when those are in use.
"""

import django.core.validators
import django.db.models.deletion
import opf.core.urlnames
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from opf.core.migration_ops import AddToModels


class Migration(migrations.Migration):

    replaces = [('actions', '0008_business_case_and_gates'), ('actions', '0009_initiative'), ('actions', '0010_commitment_kept_by')]

    dependencies = [
        ('actions', '0007_history_of_many_to_many'),
        ('lessons', '0004_history_of_many_to_many'),
        ('opf', '0015_initiative'),
    ]

    operations = [
        AddToModels([
            migrations.CreateModel(
                name='CostRate',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('hourly_rate', models.DecimalField(decimal_places=2, max_digits=8, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='hourly rate')),
                    ('currency', models.CharField(default='EUR', max_length=3, verbose_name='currency')),
                    ('active', models.BooleanField(default=True, verbose_name='active')),
                ],
                options={
                    'verbose_name': 'cost rate',
                    'verbose_name_plural': 'cost rates',
                    'ordering': ['pk'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.AlterModelOptions(
                name='pilot',
                options={'ordering': ['-pk'], 'permissions': [('override_pilot', 'Can adopt a pilot by executive override')], 'verbose_name': 'pilot', 'verbose_name_plural': 'pilots'},
            ),
            migrations.AddField(
                model_name='actionitem',
                name='carried_to',
                field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='carried_in_items', to='actions.processactionplan', verbose_name='carried over to'),
            ),
            migrations.AddField(
                model_name='actionitem',
                name='carry_reason',
                field=models.TextField(blank=True, editable=False, verbose_name='reason for carrying over'),
            ),
            migrations.AddField(
                model_name='commitment',
                name='carried_to',
                field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='carried_in_commitments', to='actions.processactionplan', verbose_name='carried over to'),
            ),
            migrations.AddField(
                model_name='commitment',
                name='carry_reason',
                field=models.TextField(blank=True, editable=False, verbose_name='reason for carrying over'),
            ),
            migrations.AddField(
                model_name='commitment',
                name='owner',
                field=models.ForeignKey(blank=True, help_text='The person who answers for the promise: they are told, and it waits in their worklist until it is kept or broken.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='commitments', to=settings.AUTH_USER_MODEL, verbose_name='kept by'),
            ),
            migrations.AddField(
                model_name='historicalactionitem',
                name='carried_to',
                field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.processactionplan', verbose_name='carried over to'),
            ),
            migrations.AddField(
                model_name='historicalactionitem',
                name='carry_reason',
                field=models.TextField(blank=True, editable=False, verbose_name='reason for carrying over'),
            ),
            migrations.AddField(
                model_name='historicalcommitment',
                name='carried_to',
                field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.processactionplan', verbose_name='carried over to'),
            ),
            migrations.AddField(
                model_name='historicalcommitment',
                name='carry_reason',
                field=models.TextField(blank=True, editable=False, verbose_name='reason for carrying over'),
            ),
            migrations.AddField(
                model_name='historicalcommitment',
                name='owner',
                field=models.ForeignKey(blank=True, db_constraint=False, help_text='The person who answers for the promise: they are told, and it waits in their worklist until it is kept or broken.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='kept by'),
            ),
            migrations.AddField(
                model_name='historicalimprovement',
                name='benefit_baseline',
                field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name='baseline value'),
            ),
            migrations.AddField(
                model_name='historicalimprovement',
                name='benefit_hours_per_year',
                field=models.DecimalField(blank=True, decimal_places=1, help_text='Valued at the hourly rate.', max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='hours saved a year'),
            ),
            migrations.AddField(
                model_name='historicalimprovement',
                name='benefit_measure',
                field=models.ForeignKey(blank=True, db_constraint=False, help_text='The measure from the repository the improvement should move.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='lessons.measure', verbose_name='benefit measure'),
            ),
            migrations.AddField(
                model_name='historicalimprovement',
                name='benefit_money_per_year',
                field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='benefit a year (money)'),
            ),
            migrations.AddField(
                model_name='historicalimprovement',
                name='benefit_target',
                field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name='target value'),
            ),
            migrations.AddField(
                model_name='historicalimprovement',
                name='estimated_hours',
                field=models.DecimalField(blank=True, decimal_places=1, help_text='Valued at the hourly rate.', max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='estimated effort (hours)'),
            ),
            migrations.AddField(
                model_name='historicalimprovement',
                name='initiative',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.initiative', verbose_name='initiative'),
            ),
            migrations.AddField(
                model_name='historicalimprovement',
                name='objective_note',
                field=models.TextField(blank=True, editable=False, verbose_name='note on the objective'),
            ),
            migrations.AddField(
                model_name='historicalimprovement',
                name='objective_reached',
                field=models.CharField(blank=True, choices=[('yes', 'Reached'), ('partly', 'Partly reached'), ('no', 'Not reached')], editable=False, max_length=8, verbose_name='objective reached'),
            ),
            migrations.AddField(
                model_name='historicalimprovement',
                name='other_cost',
                field=models.DecimalField(blank=True, decimal_places=2, help_text='Tools, training, external help.', max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='other cost (money)'),
            ),
            migrations.AddField(
                model_name='historicalpilot',
                name='changes',
                field=models.TextField(blank=True, editable=False, help_text='For an adapted pilot: what changes before it is rolled out.', verbose_name='what changes'),
            ),
            migrations.AddField(
                model_name='historicalpilot',
                name='override_reason',
                field=models.TextField(blank=True, editable=False, help_text='Why an executive adopted the pilot although not every criterion was met.', verbose_name='executive override'),
            ),
            migrations.AddField(
                model_name='historicalplanissue',
                name='carried_to',
                field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.processactionplan', verbose_name='carried over to'),
            ),
            migrations.AddField(
                model_name='historicalplanissue',
                name='carry_reason',
                field=models.TextField(blank=True, editable=False, verbose_name='reason for carrying over'),
            ),
            migrations.AddField(
                model_name='historicalprioritizationcriterion',
                name='source',
                field=models.CharField(choices=[('scored', 'Scored by hand (1–5)'), ('benefit_cost', 'Computed: benefit/cost ratio of the business case')], default='scored', help_text="A computed criterion scores each improvement's benefit/cost ratio: below 1 → 1, from 1 → 2, from 2 → 3, from 3 → 4, from 5 → 5; no business case, no score.", max_length=20, verbose_name='source of the score'),
            ),
            migrations.AddField(
                model_name='historicalprocessactionplan',
                name='initiative',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.initiative', verbose_name='initiative'),
            ),
            migrations.AddField(
                model_name='improvement',
                name='benefit_baseline',
                field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name='baseline value'),
            ),
            migrations.AddField(
                model_name='improvement',
                name='benefit_hours_per_year',
                field=models.DecimalField(blank=True, decimal_places=1, help_text='Valued at the hourly rate.', max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='hours saved a year'),
            ),
            migrations.AddField(
                model_name='improvement',
                name='benefit_measure',
                field=models.ForeignKey(blank=True, help_text='The measure from the repository the improvement should move.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='improvements', to='lessons.measure', verbose_name='benefit measure'),
            ),
            migrations.AddField(
                model_name='improvement',
                name='benefit_money_per_year',
                field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='benefit a year (money)'),
            ),
            migrations.AddField(
                model_name='improvement',
                name='benefit_target',
                field=models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name='target value'),
            ),
            migrations.AddField(
                model_name='improvement',
                name='estimated_hours',
                field=models.DecimalField(blank=True, decimal_places=1, help_text='Valued at the hourly rate.', max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='estimated effort (hours)'),
            ),
            migrations.AddField(
                model_name='improvement',
                name='initiative',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='improvements', to='opf.initiative', verbose_name='initiative'),
            ),
            migrations.AddField(
                model_name='improvement',
                name='objective_note',
                field=models.TextField(blank=True, editable=False, verbose_name='note on the objective'),
            ),
            migrations.AddField(
                model_name='improvement',
                name='objective_reached',
                field=models.CharField(blank=True, choices=[('yes', 'Reached'), ('partly', 'Partly reached'), ('no', 'Not reached')], editable=False, max_length=8, verbose_name='objective reached'),
            ),
            migrations.AddField(
                model_name='improvement',
                name='other_cost',
                field=models.DecimalField(blank=True, decimal_places=2, help_text='Tools, training, external help.', max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='other cost (money)'),
            ),
            migrations.AddField(
                model_name='pilot',
                name='changes',
                field=models.TextField(blank=True, editable=False, help_text='For an adapted pilot: what changes before it is rolled out.', verbose_name='what changes'),
            ),
            migrations.AddField(
                model_name='pilot',
                name='override_reason',
                field=models.TextField(blank=True, editable=False, help_text='Why an executive adopted the pilot although not every criterion was met.', verbose_name='executive override'),
            ),
            migrations.AddField(
                model_name='planissue',
                name='carried_to',
                field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='carried_in_issues', to='actions.processactionplan', verbose_name='carried over to'),
            ),
            migrations.AddField(
                model_name='planissue',
                name='carry_reason',
                field=models.TextField(blank=True, editable=False, verbose_name='reason for carrying over'),
            ),
            migrations.AddField(
                model_name='prioritizationcriterion',
                name='source',
                field=models.CharField(choices=[('scored', 'Scored by hand (1–5)'), ('benefit_cost', 'Computed: benefit/cost ratio of the business case')], default='scored', help_text="A computed criterion scores each improvement's benefit/cost ratio: below 1 → 1, from 1 → 2, from 2 → 3, from 3 → 4, from 5 → 5; no business case, no score.", max_length=20, verbose_name='source of the score'),
            ),
            migrations.AddField(
                model_name='processactionplan',
                name='initiative',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_plans', to='opf.initiative', verbose_name='initiative'),
            ),
            migrations.CreateModel(
                name='HistoricalCostRate',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('hourly_rate', models.DecimalField(decimal_places=2, max_digits=8, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='hourly rate')),
                    ('currency', models.CharField(default='EUR', max_length=3, verbose_name='currency')),
                    ('active', models.BooleanField(default=True, verbose_name='active')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical cost rate',
                    'verbose_name_plural': 'historical cost rates',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
        ]),
    ]
