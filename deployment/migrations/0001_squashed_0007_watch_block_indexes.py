"""The deployment app's migrations 0001-0007 in one (issue #24: a new database migrates
in seconds).

The schema is the state the old migrations reach, written as CreateModel operations
(generated from that state, not from the models, so that it is exactly theirs). A new
database runs this one; a database with all of them applied takes it as applied; one
with some of them applied goes on with the old files, which stay until every database
is past them. Dependencies name the old migrations of other apps: Django points them
at those apps' squashed migrations when those are in use.
"""

import deployment.models
import deployment.models.library
import django.core.validators
import django.db.models.deletion
import opf.core.uploads
import opf.core.urlnames
import opf.core.versioning
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from opf.core.migration_ops import CreateModels


class Migration(migrations.Migration):

    replaces = [('deployment', '0001_initial'), ('deployment', '0002_assetversion_pilot'), ('deployment', '0003_versioned_records'), ('deployment', '0004_asset_file_content_check'), ('deployment', '0005_history_of_many_to_many'), ('deployment', '0006_submit_for_approval'), ('deployment', '0007_watch_block_indexes')]

    initial = True

    dependencies = [
        ('actions', '0003_historicalprocessactionplan_pilot_and_more'),
        ('opf', '0018_project_type_and_size_class'),
    ]

    operations = [
        CreateModels([
            migrations.CreateModel(
                name='AssetVersion',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.CharField(max_length=20, verbose_name='version number')),
                    ('change_summary', models.TextField(verbose_name='change summary')),
                    ('file', models.FileField(blank=True, help_text='PDF, office documents, text, CSV, ZIP or images.', max_length=255, upload_to=deployment.models.library.asset_upload_to, validators=[django.core.validators.FileExtensionValidator(['pdf', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'txt', 'md', 'csv', 'zip', 'png', 'svg']), deployment.models.MaxUploadSize(), opf.core.uploads.ContentValidator()], verbose_name='file')),
                    ('link', models.URLField(blank=True, max_length=500, verbose_name='link')),
                    ('origin', models.CharField(blank=True, help_text='The action plan or adopted pilot that produced it (a reference or a URL).', max_length=300, verbose_name='produced by')),
                    ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for approval'), ('approved', 'Approved'), ('released', 'Released'), ('superseded', 'Superseded')], default='draft', editable=False, max_length=20, verbose_name='state')),
                    ('released_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='released at')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('approver', models.ForeignKey(blank=True, editable=False, help_text='The executive who decides; empty: any executive.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approver')),
                    ('pilot', models.ForeignKey(blank=True, help_text='The adopted pilot whose change this version releases.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='asset_versions', to='actions.pilot', verbose_name='adopted pilot')),
                    ('submitted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                ],
                options={
                    'verbose_name': 'asset version',
                    'verbose_name_plural': 'asset versions',
                    'ordering': ['asset__name', '-pk'],
                    'permissions': [('approve_assetversion', 'Can approve asset version'), ('release_assetversion', 'Can release asset version')],
                },
                bases=(opf.core.versioning.LockableMixin, opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='DeploymentPlan',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('start_date', models.DateField(blank=True, null=True, verbose_name='start date')),
                    ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                    ('training_notes', models.TextField(blank=True, verbose_name='training')),
                    ('support_notes', models.TextField(blank=True, verbose_name='support')),
                    ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for approval'), ('approved', 'Approved'), ('completed', 'Completed'), ('cancelled', 'Cancelled')], default='draft', editable=False, max_length=20, verbose_name='state')),
                    ('approved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='approved at')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('approver', models.ForeignKey(blank=True, editable=False, help_text='The executive who decides; empty: any executive.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approver')),
                    ('asset_versions', models.ManyToManyField(blank=True, related_name='plans', to='deployment.assetversion', verbose_name='asset versions')),
                    ('submitted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ('target_projects', models.ManyToManyField(blank=True, related_name='+', to='opf.project', verbose_name='target projects')),
                    ('target_units', models.ManyToManyField(blank=True, help_text='Their active projects, and those of every unit below them.', related_name='deployment_plans', to='opf.orgunit', verbose_name='target org units')),
                ],
                options={
                    'verbose_name': 'deployment plan',
                    'verbose_name_plural': 'deployment plans',
                    'ordering': ['-pk'],
                    'permissions': [('approve_deploymentplan', 'Can approve deployment plan')],
                },
                bases=(opf.core.versioning.LockableMixin, opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalDeploymentPlan',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('start_date', models.DateField(blank=True, null=True, verbose_name='start date')),
                    ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                    ('training_notes', models.TextField(blank=True, verbose_name='training')),
                    ('support_notes', models.TextField(blank=True, verbose_name='support')),
                    ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for approval'), ('approved', 'Approved'), ('completed', 'Completed'), ('cancelled', 'Cancelled')], default='draft', editable=False, max_length=20, verbose_name='state')),
                    ('approved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='approved at')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('approver', models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The executive who decides; empty: any executive.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approver')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                ],
                options={
                    'verbose_name': 'historical deployment plan',
                    'verbose_name_plural': 'historical deployment plans',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalDeploymentPlan_asset_versions',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('assetversion', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.assetversion')),
                    ('deploymentplan', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.deploymentplan')),
                    ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='deployment.historicaldeploymentplan')),
                ],
                options={
                    'verbose_name': 'HistoricalDeploymentPlan_asset_versions',
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalDeploymentPlan_target_projects',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('deploymentplan', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.deploymentplan')),
                    ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='deployment.historicaldeploymentplan')),
                    ('project', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.project')),
                ],
                options={
                    'verbose_name': 'HistoricalDeploymentPlan_target_projects',
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalDeploymentPlan_target_units',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('deploymentplan', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.deploymentplan')),
                    ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='deployment.historicaldeploymentplan')),
                    ('orgunit', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.orgunit')),
                ],
                options={
                    'verbose_name': 'HistoricalDeploymentPlan_target_units',
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalProcessAsset',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('code', models.SlugField(max_length=40, verbose_name='code')),
                    ('kind', models.CharField(choices=[('standard_process', 'Standard process'), ('procedure', 'Procedure'), ('template', 'Template'), ('checklist', 'Checklist'), ('guideline', 'Guideline'), ('training_material', 'Training material'), ('measure_definition', 'Measure definition'), ('tailoring_guideline', 'Tailoring guideline')], max_length=30, verbose_name='kind')),
                    ('tags', models.CharField(blank=True, help_text='Comma-separated keywords.', max_length=200, verbose_name='tags')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('requires_training', models.BooleanField(default=False, help_text='Projects reach “in use” only when their people are trained on the version.', verbose_name='requires training')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('owner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                ],
                options={
                    'verbose_name': 'historical process asset',
                    'verbose_name_plural': 'historical process assets',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalProjectDeployment',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('notes', models.TextField(blank=True, verbose_name='notes')),
                    ('state', models.CharField(choices=[('not_started', 'Not started'), ('planning', 'Planning'), ('training', 'Training'), ('in_use', 'In use'), ('verified', 'Verified'), ('waived', 'Waived')], default='not_started', editable=False, max_length=20, verbose_name='status')),
                    ('waiver_reason', models.TextField(blank=True, editable=False, verbose_name='waiver reason')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('asset_version', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.assetversion', verbose_name='asset version')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.deploymentplan', verbose_name='deployment plan')),
                    ('project', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.project', verbose_name='project')),
                ],
                options={
                    'verbose_name': 'historical project deployment',
                    'verbose_name_plural': 'historical project deployments',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalStandardProcessSet',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('baseline', models.CharField(help_text='e.g. 2026.1', max_length=20, verbose_name='baseline')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for approval'), ('approved', 'Approved'), ('published', 'Published'), ('retired', 'Retired')], default='draft', editable=False, max_length=20, verbose_name='state')),
                    ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published at')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('approver', models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The executive who decides; empty: any executive.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approver')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                ],
                options={
                    'verbose_name': 'historical standard process set',
                    'verbose_name_plural': 'historical standard process sets',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalTrainingRecord',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('status', models.CharField(choices=[('to_do', 'To do'), ('done', 'Done')], default='to_do', max_length=10, verbose_name='status')),
                    ('completed_on', models.DateField(blank=True, null=True, verbose_name='completed on')),
                    ('notes', models.CharField(blank=True, max_length=300, verbose_name='notes')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('asset_version', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.assetversion', verbose_name='asset version')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ],
                options={
                    'verbose_name': 'historical training record',
                    'verbose_name_plural': 'historical training records',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='ProcessAsset',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                    ('kind', models.CharField(choices=[('standard_process', 'Standard process'), ('procedure', 'Procedure'), ('template', 'Template'), ('checklist', 'Checklist'), ('guideline', 'Guideline'), ('training_material', 'Training material'), ('measure_definition', 'Measure definition'), ('tailoring_guideline', 'Tailoring guideline')], max_length=30, verbose_name='kind')),
                    ('tags', models.CharField(blank=True, help_text='Comma-separated keywords.', max_length=200, verbose_name='tags')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('requires_training', models.BooleanField(default=False, help_text='Projects reach “in use” only when their people are trained on the version.', verbose_name='requires training')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='owned_assets', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                    ('process_areas', models.ManyToManyField(blank=True, related_name='assets', to='opf.processarea', verbose_name='process areas')),
                ],
                options={
                    'verbose_name': 'process asset',
                    'verbose_name_plural': 'process assets',
                    'ordering': ['name'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalProcessAsset_process_areas',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='deployment.historicalprocessasset')),
                    ('processarea', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.processarea')),
                    ('processasset', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.processasset')),
                ],
                options={
                    'verbose_name': 'HistoricalProcessAsset_process_areas',
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalAssetVersion',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('number', models.CharField(max_length=20, verbose_name='version number')),
                    ('change_summary', models.TextField(verbose_name='change summary')),
                    ('file', models.TextField(blank=True, help_text='PDF, office documents, text, CSV, ZIP or images.', max_length=255, validators=[django.core.validators.FileExtensionValidator(['pdf', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'txt', 'md', 'csv', 'zip', 'png', 'svg']), deployment.models.MaxUploadSize(), opf.core.uploads.ContentValidator()], verbose_name='file')),
                    ('link', models.URLField(blank=True, max_length=500, verbose_name='link')),
                    ('origin', models.CharField(blank=True, help_text='The action plan or adopted pilot that produced it (a reference or a URL).', max_length=300, verbose_name='produced by')),
                    ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for approval'), ('approved', 'Approved'), ('released', 'Released'), ('superseded', 'Superseded')], default='draft', editable=False, max_length=20, verbose_name='state')),
                    ('released_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='released at')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('approver', models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The executive who decides; empty: any executive.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approver')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('pilot', models.ForeignKey(blank=True, db_constraint=False, help_text='The adopted pilot whose change this version releases.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.pilot', verbose_name='adopted pilot')),
                    ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ('asset', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.processasset', verbose_name='asset')),
                ],
                options={
                    'verbose_name': 'historical asset version',
                    'verbose_name_plural': 'historical asset versions',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.AddField(
                model_name='assetversion',
                name='asset',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='deployment.processasset', verbose_name='asset'),
            ),
            migrations.CreateModel(
                name='ProjectDeployment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('notes', models.TextField(blank=True, verbose_name='notes')),
                    ('state', models.CharField(choices=[('not_started', 'Not started'), ('planning', 'Planning'), ('training', 'Training'), ('in_use', 'In use'), ('verified', 'Verified'), ('waived', 'Waived')], default='not_started', editable=False, max_length=20, verbose_name='status')),
                    ('waiver_reason', models.TextField(blank=True, editable=False, verbose_name='waiver reason')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last updated')),
                    ('asset_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deployments', to='deployment.assetversion', verbose_name='asset version')),
                    ('plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deployments', to='deployment.deploymentplan', verbose_name='deployment plan')),
                    ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deployments', to='opf.project', verbose_name='project')),
                ],
                options={
                    'verbose_name': 'project deployment',
                    'verbose_name_plural': 'project deployments',
                    'ordering': ['project__name', 'asset_version__asset__name'],
                    'permissions': [('verify_projectdeployment', 'Can verify project deployment')],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalTailoringRecord',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('what', models.CharField(max_length=300, verbose_name='what was tailored')),
                    ('why', models.TextField(verbose_name='why')),
                    ('state', models.CharField(choices=[('requested', 'Requested'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='requested', editable=False, max_length=20, verbose_name='state')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('decided_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('deployment', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.projectdeployment', verbose_name='deployment')),
                ],
                options={
                    'verbose_name': 'historical tailoring record',
                    'verbose_name_plural': 'historical tailoring records',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='StandardProcessSet',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('baseline', models.CharField(help_text='e.g. 2026.1', max_length=20, verbose_name='baseline')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for approval'), ('approved', 'Approved'), ('published', 'Published'), ('retired', 'Retired')], default='draft', editable=False, max_length=20, verbose_name='state')),
                    ('published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='published at')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('approver', models.ForeignKey(blank=True, editable=False, help_text='The executive who decides; empty: any executive.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approver')),
                    ('asset_versions', models.ManyToManyField(blank=True, related_name='standard_sets', to='deployment.assetversion', verbose_name='asset versions')),
                    ('submitted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                ],
                options={
                    'verbose_name': 'standard process set',
                    'verbose_name_plural': 'standard process sets',
                    'ordering': ['name', '-pk'],
                    'permissions': [('approve_standardprocessset', 'Can approve standard process set'), ('publish_standardprocessset', 'Can publish standard process set')],
                },
                bases=(opf.core.versioning.LockableMixin, opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalStandardProcessSet_asset_versions',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('assetversion', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.assetversion')),
                    ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='deployment.historicalstandardprocessset')),
                    ('standardprocessset', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.standardprocessset')),
                ],
                options={
                    'verbose_name': 'HistoricalStandardProcessSet_asset_versions',
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.AddField(
                model_name='historicaldeploymentplan',
                name='standard_set',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deployment.standardprocessset', verbose_name='standard set baseline'),
            ),
            migrations.AddField(
                model_name='deploymentplan',
                name='standard_set',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='deployment.standardprocessset', verbose_name='standard set baseline'),
            ),
            migrations.CreateModel(
                name='TailoringRecord',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('what', models.CharField(max_length=300, verbose_name='what was tailored')),
                    ('why', models.TextField(verbose_name='why')),
                    ('state', models.CharField(choices=[('requested', 'Requested'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='requested', editable=False, max_length=20, verbose_name='state')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('decided_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ('deployment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tailorings', to='deployment.projectdeployment', verbose_name='deployment')),
                ],
                options={
                    'verbose_name': 'tailoring record',
                    'verbose_name_plural': 'tailoring records',
                    'ordering': ['-pk'],
                    'permissions': [('approve_tailoringrecord', 'Can approve tailoring record')],
                },
                bases=(opf.core.versioning.LockableMixin, opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='TrainingRecord',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('to_do', 'To do'), ('done', 'Done')], default='to_do', max_length=10, verbose_name='status')),
                    ('completed_on', models.DateField(blank=True, null=True, verbose_name='completed on')),
                    ('notes', models.CharField(blank=True, max_length=300, verbose_name='notes')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('asset_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training_records', to='deployment.assetversion', verbose_name='asset version')),
                    ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='training_records', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ],
                options={
                    'verbose_name': 'training record',
                    'verbose_name_plural': 'training records',
                    'ordering': ['-pk'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.AddIndex(
                model_name='processasset',
                index=models.Index(fields=['kind'], name='deployment__kind_50f68e_idx'),
            ),
            migrations.AddIndex(
                model_name='assetversion',
                index=models.Index(fields=['asset', 'state'], name='deployment__asset_i_ac72f3_idx'),
            ),
            migrations.AddConstraint(
                model_name='assetversion',
                constraint=models.UniqueConstraint(fields=('asset', 'number'), name='asset_version_number_unique', violation_error_message='This asset already has a version with this number.'),
            ),
            migrations.AddIndex(
                model_name='projectdeployment',
                index=models.Index(fields=['state', 'updated_at'], name='deployment__state_068d60_idx'),
            ),
            migrations.AddIndex(
                model_name='projectdeployment',
                index=models.Index(condition=models.Q(('state__in', ['verified', 'waived']), _negated=True), fields=['updated_at', 'id'], name='deployment_open_by_update'),
            ),
            migrations.AddConstraint(
                model_name='projectdeployment',
                constraint=models.UniqueConstraint(fields=('project', 'asset_version'), name='deployment_project_version_unique', violation_error_message='This project already has this asset version.'),
            ),
            migrations.AddConstraint(
                model_name='standardprocessset',
                constraint=models.UniqueConstraint(fields=('name', 'baseline'), name='standard_set_baseline_unique', violation_error_message='This set already has this baseline.'),
            ),
            migrations.AddConstraint(
                model_name='trainingrecord',
                constraint=models.UniqueConstraint(fields=('person', 'asset_version'), name='training_person_version_unique', violation_error_message='This person already has a record for this version.'),
            ),
        ]),
    ]
