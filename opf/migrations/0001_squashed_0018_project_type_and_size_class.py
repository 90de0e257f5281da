"""OPF's migrations 0001-0018 in one (issue #24: a new database migrates in seconds).

The schema is the state the old migrations reach, written as CreateModel operations
(generated from that state, not from the models, so that it is exactly theirs). A new
database runs this one; a database with all of 0001-0018 applied takes it as applied;
one with some of them applied goes on with the old files, which stay until every
database is past them.

The data steps a new database needs run last, in the old order and with the old
migrations' own functions (imported, one copy of each; 0002's with the apps it saw):
0002 the role groups, 0003 CMMI-DEV v1.2, 0005, 0009 and 0017 the every-minute beat
jobs. Left out, as it only changes rows an older database already had: 0014 adds the
goal and practice titles to a CMMI-DEV loaded before them (0003's load has them).
"""

import datetime
import django.contrib.auth.models
import django.contrib.auth.validators
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import opf.core.urlnames
import opf.core.versioning
import opf.notifications.models
import opf.webhooks.models
import simple_history.models
import uuid
from importlib import import_module
from django.conf import settings
from django.db import migrations, models

from opf.core.migration_ops import CreateModels


def old(name):
    """An old migration of this app, whose data step runs here as it is."""
    return import_module(f"opf.migrations.{name}")


ROLES = old("0002_roles")
CMMI_DEV = old("0003_cmmi_dev")
HEARTBEAT = old("0005_heartbeat_schedule")
DOCUMENT_SWEEPER = old("0009_document_claims")
WEBHOOK_SWEEPER = old("0017_webhook_sweeper")


def create_roles(apps, schema_editor):
    """0002's step with the apps 0002 saw (auth, contenttypes, opf). This migration
    also sees django-celery-beat (for the schedules), whose permissions post-migrate
    creates with their current names (its 0019 renamed one of its models)."""
    from django.contrib.auth.management import create_permissions

    from opf.core.roles import sync_groups

    # Permissions are normally created after all migrations; create ours now.
    for label in ("auth", "contenttypes", "opf"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps)


class Migration(migrations.Migration):

    replaces = [('opf', '0001_initial'), ('opf', '0002_roles'), ('opf', '0003_cmmi_dev'), ('opf', '0004_heartbeat'), ('opf', '0005_heartbeat_schedule'), ('opf', '0006_notifications_documents'), ('opf', '0007_steering'), ('opf', '0008_versioned_records'), ('opf', '0009_document_claims'), ('opf', '0010_ordering_indexes'), ('opf', '0011_notification_delivery'), ('opf', '0012_history_of_many_to_many'), ('opf', '0013_program_document_submit_for_approval'), ('opf', '0014_cmmi_dev_goal_and_practice_titles'), ('opf', '0015_initiative'), ('opf', '0016_webhooks'), ('opf', '0017_webhook_sweeper'), ('opf', '0018_project_type_and_size_class')]

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('django_celery_beat', '0018_improve_crontab_helptext'),
    ]

    operations = [
        CreateModels([
            migrations.CreateModel(
                name='Decision',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=300, verbose_name='decision')),
                    ('rationale', models.TextField(blank=True, verbose_name='rationale')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                ],
                options={
                    'verbose_name': 'decision',
                    'verbose_name_plural': 'decisions',
                    'ordering': ['meeting', 'pk'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='Goal',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(max_length=20, verbose_name='code')),
                    ('name', models.CharField(max_length=255, verbose_name='name')),
                    ('kind', models.CharField(choices=[('specific', 'Specific'), ('generic', 'Generic')], default='specific', max_length=10, verbose_name='kind')),
                    ('statement', models.TextField(blank=True, verbose_name='statement')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('order', models.PositiveIntegerField(default=0, verbose_name='order')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                ],
                options={
                    'verbose_name': 'goal',
                    'verbose_name_plural': 'goals',
                    'ordering': ['process_area', 'order', 'code'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='Heartbeat',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=50, unique=True, verbose_name='name')),
                    ('seen_at', models.DateTimeField(verbose_name='last seen')),
                ],
                options={
                    'verbose_name': 'heartbeat',
                    'verbose_name_plural': 'heartbeats',
                },
            ),
            migrations.CreateModel(
                name='ProcessArea',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('abbreviation', models.CharField(max_length=30, verbose_name='abbreviation')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('category', models.CharField(choices=[('process_management', 'Process management'), ('project_management', 'Project management'), ('engineering', 'Engineering'), ('support', 'Support'), ('other', 'Other')], default='other', max_length=30, verbose_name='category')),
                    ('maturity_level', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='maturity level')),
                    ('purpose', models.TextField(blank=True, verbose_name='purpose')),
                    ('order', models.PositiveIntegerField(default=0, verbose_name='order')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                ],
                options={
                    'verbose_name': 'process area',
                    'verbose_name_plural': 'process areas',
                    'ordering': ['reference_model', 'order', 'abbreviation'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='WebhookDelivery',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('event_id', models.UUIDField(default=uuid.uuid4, editable=False, verbose_name='event id')),
                    ('event_type', models.CharField(editable=False, max_length=100, verbose_name='event')),
                    ('payload', models.JSONField(default=dict, editable=False, verbose_name='payload')),
                    ('dedupe_key', models.CharField(blank=True, editable=False, max_length=300)),
                    ('status', models.CharField(choices=[('pending', 'Pending'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='pending', editable=False, max_length=10, verbose_name='status')),
                    ('attempts', models.PositiveIntegerField(default=0, editable=False, verbose_name='attempts')),
                    ('attempt_limit', models.PositiveIntegerField(default=0, editable=False)),
                    ('last_response_code', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='last response code')),
                    ('last_error', models.TextField(blank=True, editable=False, verbose_name='last error')),
                    ('next_attempt_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='next attempt')),
                    ('delivered_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='delivered')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ],
                options={
                    'verbose_name': 'webhook delivery',
                    'verbose_name_plural': 'webhook deliveries',
                    'ordering': ['-created_at', '-pk'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='User',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('password', models.CharField(max_length=128, verbose_name='password')),
                    ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                    ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                    ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                    ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                    ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                    ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                    ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                    ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                    ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                    ('job_title', models.CharField(blank=True, max_length=120, verbose_name='job title')),
                    ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                    ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
                ],
                options={
                    'verbose_name': 'user',
                    'verbose_name_plural': 'users',
                    'ordering': ['last_name', 'first_name', 'username'],
                    'abstract': False,
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
                managers=[
                    ('objects', django.contrib.auth.models.UserManager()),
                ],
            ),
            migrations.CreateModel(
                name='CalendarFeed',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('token', models.CharField(default=opf.notifications.models.new_token, max_length=64, unique=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'calendar feed',
                    'verbose_name_plural': 'calendar feeds',
                },
            ),
            migrations.CreateModel(
                name='CommitteeMembership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('body', models.CharField(choices=[('steering_committee', 'Steering committee'), ('process_group', 'Process group')], max_length=30, verbose_name='body')),
                    ('role', models.CharField(choices=[('chair', 'Chair'), ('secretary', 'Secretary'), ('lead', 'Lead'), ('member', 'Member')], default='member', max_length=20, verbose_name='role')),
                    ('responsibilities', models.TextField(blank=True, verbose_name='responsibilities')),
                    ('start', models.DateField(default=datetime.date.today, verbose_name='member since')),
                    ('end', models.DateField(blank=True, null=True, verbose_name='member until')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ],
                options={
                    'verbose_name': 'committee membership',
                    'verbose_name_plural': 'committee memberships',
                    'ordering': ['body', '-start', 'pk'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalCommitteeMembership',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('body', models.CharField(choices=[('steering_committee', 'Steering committee'), ('process_group', 'Process group')], max_length=30, verbose_name='body')),
                    ('role', models.CharField(choices=[('chair', 'Chair'), ('secretary', 'Secretary'), ('lead', 'Lead'), ('member', 'Member')], default='member', max_length=20, verbose_name='role')),
                    ('responsibilities', models.TextField(blank=True, verbose_name='responsibilities')),
                    ('start', models.DateField(default=datetime.date.today, verbose_name='member since')),
                    ('end', models.DateField(blank=True, null=True, verbose_name='member until')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ],
                options={
                    'verbose_name': 'historical committee membership',
                    'verbose_name_plural': 'historical committee memberships',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalDecision',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('title', models.CharField(max_length=300, verbose_name='decision')),
                    ('rationale', models.TextField(blank=True, verbose_name='rationale')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical decision',
                    'verbose_name_plural': 'historical decisions',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalProgramDocument',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('policy', 'Program policy'), ('plan', 'Process improvement plan')], max_length=10, verbose_name='kind')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('revision', models.PositiveIntegerField(default=1, editable=False, verbose_name='revision')),
                    ('text', models.TextField(verbose_name='text')),
                    ('effective_from', models.DateField(blank=True, null=True, verbose_name='effective from')),
                    ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for approval'), ('approved', 'Approved'), ('superseded', 'Superseded')], default='draft', editable=False, max_length=12, verbose_name='state')),
                    ('approved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='approved at')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('approved_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                    ('approver', models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The executive who decides; empty: any executive.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approver')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                ],
                options={
                    'verbose_name': 'historical program document',
                    'verbose_name_plural': 'historical program documents',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalReferenceModel',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('abbreviation', models.CharField(max_length=30, verbose_name='abbreviation')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('version', models.CharField(max_length=30, verbose_name='version')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('builtin', models.BooleanField(default=False, editable=False, verbose_name='shipped with OPF')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical reference model',
                    'verbose_name_plural': 'historical reference models',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalUser',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                    ('username', models.CharField(db_index=True, error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                    ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                    ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                    ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                    ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                    ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                    ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                    ('job_title', models.CharField(blank=True, max_length=120, verbose_name='job title')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical user',
                    'verbose_name_plural': 'historical users',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalUser_groups',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('group', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='auth.group')),
                    ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='opf.historicaluser')),
                    ('user', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'HistoricalUser_groups',
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalWebhookEndpoint',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('target_url', models.URLField(help_text='Where OPF sends the events (http or https); redirects are not followed.', max_length=500, validators=[opf.webhooks.models.check_target], verbose_name='address')),
                    ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                    ('events', models.JSONField(blank=True, default=list, help_text='The event types sent to this address.', validators=[opf.webhooks.models.check_events], verbose_name='events')),
                    ('active', models.BooleanField(default=True, help_text='An inactive endpoint is sent nothing.', verbose_name='active')),
                    ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical webhook endpoint',
                    'verbose_name_plural': 'historical webhook endpoints',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='OrgUnit',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=150, verbose_name='name')),
                    ('code', models.SlugField(max_length=30, unique=True, verbose_name='code')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('active', models.BooleanField(default=True, verbose_name='active')),
                    ('path', models.CharField(db_index=True, default='', editable=False, max_length=255)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('head', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='headed_units', to=settings.AUTH_USER_MODEL, verbose_name='head')),
                    ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='opf.orgunit', verbose_name='parent unit')),
                ],
                options={
                    'verbose_name': 'org unit',
                    'verbose_name_plural': 'org units',
                    'ordering': ['path'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.AddField(
                model_name='historicaluser',
                name='org_unit',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.orgunit', verbose_name='org unit'),
            ),
            migrations.CreateModel(
                name='HistoricalSteeringMeeting',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('body', models.CharField(choices=[('steering_committee', 'Steering committee'), ('process_group', 'Process group')], default='steering_committee', max_length=30, verbose_name='body')),
                    ('scheduled_at', models.DateTimeField(verbose_name='date and time')),
                    ('location', models.CharField(blank=True, max_length=200, verbose_name='location')),
                    ('agenda', models.TextField(blank=True, verbose_name='agenda')),
                    ('notes', models.TextField(blank=True, verbose_name='minutes')),
                    ('state', models.CharField(choices=[('planned', 'Planned'), ('held', 'Held'), ('cancelled', 'Cancelled')], default='planned', editable=False, max_length=12, verbose_name='state')),
                    ('briefing_as_of', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='briefing frozen at')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('chair', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='chair')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('briefing_unit', models.ForeignKey(blank=True, db_constraint=False, help_text='Leave empty for the whole organization.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.orgunit', verbose_name='briefing org unit')),
                ],
                options={
                    'verbose_name': 'historical steering meeting',
                    'verbose_name_plural': 'historical steering meetings',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalProject',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('code', models.SlugField(max_length=30, verbose_name='code')),
                    ('phase', models.CharField(choices=[('startup', 'Start-up'), ('planning', 'Planning'), ('execution', 'Execution'), ('transition', 'Transition'), ('closed', 'Closed')], default='startup', max_length=20, verbose_name='lifecycle phase')),
                    ('start_date', models.DateField(verbose_name='start date')),
                    ('end_date', models.DateField(blank=True, null=True, verbose_name='planned end date')),
                    ('active', models.BooleanField(default=True, verbose_name='active')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('project_type', models.CharField(choices=[('development', 'Development'), ('maintenance', 'Maintenance'), ('integration', 'Integration'), ('service', 'Service')], default='development', help_text='What kind of work: process-performance baselines group projects by it.', max_length=20, verbose_name='project type')),
                    ('size_class', models.CharField(choices=[('small', 'Small'), ('medium', 'Medium'), ('large', 'Large')], default='medium', help_text='Small, medium or large: process-performance baselines group projects by it.', max_length=10, verbose_name='size class')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('manager', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='project manager')),
                    ('org_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.orgunit', verbose_name='org unit')),
                ],
                options={
                    'verbose_name': 'historical project',
                    'verbose_name_plural': 'historical projects',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalOrgUnit',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('name', models.CharField(max_length=150, verbose_name='name')),
                    ('code', models.SlugField(max_length=30, verbose_name='code')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('active', models.BooleanField(default=True, verbose_name='active')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('head', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='head')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.orgunit', verbose_name='parent unit')),
                ],
                options={
                    'verbose_name': 'historical org unit',
                    'verbose_name_plural': 'historical org units',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalInitiative',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('method', models.CharField(choices=[('cmmi', 'CMMI'), ('lean', 'Lean'), ('six_sigma', 'Six Sigma'), ('bpm', 'BPM'), ('itil', 'ITIL'), ('other', 'Other')], max_length=12, verbose_name='method')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('start', models.DateField(verbose_name='start')),
                    ('end', models.DateField(blank=True, null=True, verbose_name='end')),
                    ('state', models.CharField(choices=[('proposed', 'Proposed'), ('active', 'Active'), ('ended', 'Ended')], default='proposed', editable=False, max_length=10, verbose_name='status')),
                    ('outcome', models.TextField(blank=True, editable=False, verbose_name='outcome')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('owner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner (advocate)')),
                    ('sponsor', models.ForeignKey(blank=True, db_constraint=False, help_text='The executive behind the initiative.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sponsor')),
                    ('owning_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.orgunit', verbose_name='owning org unit')),
                ],
                options={
                    'verbose_name': 'historical initiative',
                    'verbose_name_plural': 'historical initiatives',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.AddField(
                model_name='user',
                name='org_unit',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='members', to='opf.orgunit', verbose_name='org unit'),
            ),
            migrations.CreateModel(
                name='HistoricalPractice',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('code', models.CharField(max_length=20, verbose_name='code')),
                    ('name', models.CharField(max_length=255, verbose_name='name')),
                    ('statement', models.TextField(blank=True, verbose_name='statement')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('work_products', models.JSONField(blank=True, default=list, verbose_name='typical work products')),
                    ('subpractices', models.JSONField(blank=True, default=list, verbose_name='subpractices')),
                    ('order', models.PositiveIntegerField(default=0, verbose_name='order')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('goal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.goal', verbose_name='goal')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('process_area', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.processarea', verbose_name='process area')),
                ],
                options={
                    'verbose_name': 'historical practice',
                    'verbose_name_plural': 'historical practices',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalGoal',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('code', models.CharField(max_length=20, verbose_name='code')),
                    ('name', models.CharField(max_length=255, verbose_name='name')),
                    ('kind', models.CharField(choices=[('specific', 'Specific'), ('generic', 'Generic')], default='specific', max_length=10, verbose_name='kind')),
                    ('statement', models.TextField(blank=True, verbose_name='statement')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('order', models.PositiveIntegerField(default=0, verbose_name='order')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('process_area', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.processarea', verbose_name='process area')),
                ],
                options={
                    'verbose_name': 'historical goal',
                    'verbose_name_plural': 'historical goals',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalDecision_process_areas',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('decision', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.decision')),
                    ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='opf.historicaldecision')),
                    ('processarea', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.processarea')),
                ],
                options={
                    'verbose_name': 'HistoricalDecision_process_areas',
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.AddField(
                model_name='goal',
                name='process_area',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='opf.processarea', verbose_name='process area'),
            ),
            migrations.AddField(
                model_name='decision',
                name='process_areas',
                field=models.ManyToManyField(blank=True, related_name='steering_decisions', to='opf.processarea', verbose_name='process areas concerned'),
            ),
            migrations.CreateModel(
                name='ProgramDocument',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('kind', models.CharField(choices=[('policy', 'Program policy'), ('plan', 'Process improvement plan')], max_length=10, verbose_name='kind')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('revision', models.PositiveIntegerField(default=1, editable=False, verbose_name='revision')),
                    ('text', models.TextField(verbose_name='text')),
                    ('effective_from', models.DateField(blank=True, null=True, verbose_name='effective from')),
                    ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for approval'), ('approved', 'Approved'), ('superseded', 'Superseded')], default='draft', editable=False, max_length=12, verbose_name='state')),
                    ('approved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='approved at')),
                    ('approved_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                    ('approver', models.ForeignKey(blank=True, editable=False, help_text='The executive who decides; empty: any executive.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approver')),
                    ('submitted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                ],
                options={
                    'verbose_name': 'program document',
                    'verbose_name_plural': 'program documents',
                    'ordering': ['kind', '-revision'],
                    'permissions': [('approve_programdocument', 'Can approve a program document')],
                },
                bases=(opf.core.versioning.LockableMixin, opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='Project',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('code', models.SlugField(max_length=30, unique=True, verbose_name='code')),
                    ('phase', models.CharField(choices=[('startup', 'Start-up'), ('planning', 'Planning'), ('execution', 'Execution'), ('transition', 'Transition'), ('closed', 'Closed')], default='startup', max_length=20, verbose_name='lifecycle phase')),
                    ('start_date', models.DateField(verbose_name='start date')),
                    ('end_date', models.DateField(blank=True, null=True, verbose_name='planned end date')),
                    ('active', models.BooleanField(default=True, verbose_name='active')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('project_type', models.CharField(choices=[('development', 'Development'), ('maintenance', 'Maintenance'), ('integration', 'Integration'), ('service', 'Service')], default='development', help_text='What kind of work: process-performance baselines group projects by it.', max_length=20, verbose_name='project type')),
                    ('size_class', models.CharField(choices=[('small', 'Small'), ('medium', 'Medium'), ('large', 'Large')], default='medium', help_text='Small, medium or large: process-performance baselines group projects by it.', max_length=10, verbose_name='size class')),
                    ('manager', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='managed_projects', to=settings.AUTH_USER_MODEL, verbose_name='project manager')),
                    ('org_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='opf.orgunit', verbose_name='org unit')),
                ],
                options={
                    'verbose_name': 'project',
                    'verbose_name_plural': 'projects',
                    'ordering': ['name'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='ReferenceModel',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('abbreviation', models.CharField(max_length=30, verbose_name='abbreviation')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('version', models.CharField(max_length=30, verbose_name='version')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('builtin', models.BooleanField(default=False, editable=False, verbose_name='shipped with OPF')),
                ],
                options={
                    'verbose_name': 'reference model',
                    'verbose_name_plural': 'reference models',
                    'ordering': ['abbreviation', 'version'],
                    'constraints': [models.UniqueConstraint(fields=('abbreviation', 'version'), name='unique_reference_model_version', violation_error_message='This model and version already exist.')],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.AddField(
                model_name='processarea',
                name='reference_model',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='process_areas', to='opf.referencemodel', verbose_name='reference model'),
            ),
            migrations.CreateModel(
                name='HistoricalProcessArea',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('abbreviation', models.CharField(max_length=30, verbose_name='abbreviation')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('category', models.CharField(choices=[('process_management', 'Process management'), ('project_management', 'Project management'), ('engineering', 'Engineering'), ('support', 'Support'), ('other', 'Other')], default='other', max_length=30, verbose_name='category')),
                    ('maturity_level', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='maturity level')),
                    ('purpose', models.TextField(blank=True, verbose_name='purpose')),
                    ('order', models.PositiveIntegerField(default=0, verbose_name='order')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('reference_model', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.referencemodel', verbose_name='reference model')),
                ],
                options={
                    'verbose_name': 'historical process area',
                    'verbose_name_plural': 'historical process areas',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='ReminderSent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(max_length=50)),
                    ('event_key', models.CharField(max_length=200)),
                    ('sent_at', models.DateTimeField(auto_now_add=True)),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'sent reminder',
                    'verbose_name_plural': 'sent reminders',
                },
            ),
            migrations.CreateModel(
                name='SteeringMeeting',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('body', models.CharField(choices=[('steering_committee', 'Steering committee'), ('process_group', 'Process group')], default='steering_committee', max_length=30, verbose_name='body')),
                    ('scheduled_at', models.DateTimeField(verbose_name='date and time')),
                    ('location', models.CharField(blank=True, max_length=200, verbose_name='location')),
                    ('agenda', models.TextField(blank=True, verbose_name='agenda')),
                    ('notes', models.TextField(blank=True, verbose_name='minutes')),
                    ('state', models.CharField(choices=[('planned', 'Planned'), ('held', 'Held'), ('cancelled', 'Cancelled')], default='planned', editable=False, max_length=12, verbose_name='state')),
                    ('briefing_figures', models.JSONField(blank=True, editable=False, null=True, verbose_name='briefing figures')),
                    ('briefing_as_of', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='briefing frozen at')),
                    ('attendees', models.ManyToManyField(blank=True, related_name='steering_meetings', to=settings.AUTH_USER_MODEL, verbose_name='attendees')),
                    ('briefing_unit', models.ForeignKey(blank=True, help_text='Leave empty for the whole organization.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='opf.orgunit', verbose_name='briefing org unit')),
                    ('chair', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='chaired_meetings', to=settings.AUTH_USER_MODEL, verbose_name='chair')),
                ],
                options={
                    'verbose_name': 'steering meeting',
                    'verbose_name_plural': 'steering meetings',
                    'ordering': ['-scheduled_at', 'pk'],
                    'permissions': [('use_executive_dashboard', 'Can use the executive dashboard for every org unit')],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalSteeringMeeting_attendees',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='opf.historicalsteeringmeeting')),
                    ('user', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('steeringmeeting', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.steeringmeeting')),
                ],
                options={
                    'verbose_name': 'HistoricalSteeringMeeting_attendees',
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalFollowUp',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('title', models.CharField(max_length=300, verbose_name='title')),
                    ('due', models.DateField(blank=True, null=True, verbose_name='due date')),
                    ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Done'), ('dropped', 'Dropped')], default='open', editable=False, max_length=10, verbose_name='status')),
                    ('completed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='completed at')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('decision', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.decision', verbose_name='decision')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('owner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                    ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.steeringmeeting', verbose_name='meeting')),
                ],
                options={
                    'verbose_name': 'historical follow-up',
                    'verbose_name_plural': 'historical follow-ups',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.AddField(
                model_name='historicaldecision',
                name='meeting',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='opf.steeringmeeting', verbose_name='meeting'),
            ),
            migrations.CreateModel(
                name='FollowUp',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('title', models.CharField(max_length=300, verbose_name='title')),
                    ('due', models.DateField(blank=True, null=True, verbose_name='due date')),
                    ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Done'), ('dropped', 'Dropped')], default='open', editable=False, max_length=10, verbose_name='status')),
                    ('completed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='completed at')),
                    ('decision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='follow_ups', to='opf.decision', verbose_name='decision')),
                    ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='follow_ups', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                    ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='opf.steeringmeeting', verbose_name='meeting')),
                ],
                options={
                    'verbose_name': 'follow-up',
                    'verbose_name_plural': 'follow-ups',
                    'ordering': ['due', 'pk'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.AddField(
                model_name='decision',
                name='meeting',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='opf.steeringmeeting', verbose_name='meeting'),
            ),
            migrations.CreateModel(
                name='WebhookAttempt',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveIntegerField(verbose_name='attempt')),
                    ('started_at', models.DateTimeField(verbose_name='sent')),
                    ('duration_ms', models.PositiveIntegerField(default=0, verbose_name='duration (ms)')),
                    ('response_code', models.PositiveIntegerField(blank=True, null=True, verbose_name='response code')),
                    ('response_excerpt', models.CharField(blank=True, max_length=500, verbose_name='response')),
                    ('error', models.TextField(blank=True, verbose_name='error')),
                    ('delivery', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attempt_log', to='opf.webhookdelivery')),
                ],
                options={
                    'verbose_name': 'webhook attempt',
                    'verbose_name_plural': 'webhook attempts',
                    'ordering': ['delivery', 'number'],
                },
            ),
            migrations.CreateModel(
                name='WebhookEndpoint',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('target_url', models.URLField(help_text='Where OPF sends the events (http or https); redirects are not followed.', max_length=500, validators=[opf.webhooks.models.check_target], verbose_name='address')),
                    ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                    ('events', models.JSONField(blank=True, default=list, help_text='The event types sent to this address.', validators=[opf.webhooks.models.check_events], verbose_name='events')),
                    ('active', models.BooleanField(default=True, help_text='An inactive endpoint is sent nothing.', verbose_name='active')),
                    ('secret', models.CharField(default=opf.webhooks.models.new_secret, editable=False, max_length=100, verbose_name='signing secret')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ],
                options={
                    'verbose_name': 'webhook endpoint',
                    'verbose_name_plural': 'webhook endpoints',
                    'ordering': ['target_url', 'pk'],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.AddField(
                model_name='webhookdelivery',
                name='endpoint',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='opf.webhookendpoint', verbose_name='endpoint'),
            ),
            migrations.CreateModel(
                name='Document',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(max_length=50, verbose_name='kind')),
                    ('subject_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='subject')),
                    ('title', models.CharField(max_length=255, verbose_name='title')),
                    ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Being generated'), ('done', 'Ready'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                    ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                    ('error', models.TextField(blank=True, verbose_name='why it failed')),
                    ('file', models.FileField(blank=True, upload_to='documents/%Y/%m/', verbose_name='file')),
                    ('pages', models.PositiveIntegerField(blank=True, null=True, verbose_name='pages')),
                    ('data_as_of', models.DateTimeField(blank=True, null=True, verbose_name='data as of')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                    ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                    ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='claimed by a worker')),
                    ('claimed_by', models.CharField(blank=True, help_text='Id of the queue message whose worker is generating the document.', max_length=255, verbose_name='claiming message')),
                    ('enqueued_at', models.DateTimeField(blank=True, help_text='Empty while the job queue could not be reached; the sweeper sends it later.', null=True, verbose_name='sent to the job queue')),
                    ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'document',
                    'verbose_name_plural': 'documents',
                    'ordering': ['-created_at', '-pk'],
                    'indexes': [models.Index(fields=['kind', 'subject_id'], name='opf_documen_kind_daa72d_idx'), models.Index(fields=['status', 'created_at'], name='opf_document_status_idx')],
                },
            ),
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(max_length=50, verbose_name='kind')),
                    ('title', models.CharField(max_length=255, verbose_name='title')),
                    ('body', models.TextField(blank=True, verbose_name='text')),
                    ('url', models.CharField(blank=True, max_length=500, verbose_name='link')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read')),
                    ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='e-mailed')),
                    ('digest', models.BooleanField(default=False, verbose_name='waits for the daily digest')),
                    ('email_claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='being e-mailed since')),
                    ('email_error', models.TextField(blank=True, verbose_name='why the e-mail failed')),
                    ('email_failed_at', models.DateTimeField(blank=True, null=True, verbose_name='last failed e-mail attempt')),
                    ('email_failures', models.PositiveSmallIntegerField(default=0, verbose_name='failed e-mail attempts')),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'notification',
                    'verbose_name_plural': 'notifications',
                    'ordering': ['-created_at', '-pk'],
                    'permissions': [('manage_reminders', 'Can set reminder schedules')],
                    'indexes': [models.Index(fields=['recipient', 'read_at'], name='opf_notific_recipie_2afa2e_idx'), models.Index(fields=['digest', 'emailed_at'], name='opf_notific_digest_81404e_idx')],
                },
            ),
            migrations.CreateModel(
                name='NotificationPreference',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(max_length=50, verbose_name='kind')),
                    ('delivery', models.CharField(choices=[('immediate', 'E-mail at once'), ('digest', 'E-mail in a daily digest'), ('off', 'In the app only')], default='immediate', max_length=10, verbose_name='delivery')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'notification preference',
                    'verbose_name_plural': 'notification preferences',
                    'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='one_preference_per_kind')],
                },
            ),
            migrations.CreateModel(
                name='Initiative',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('method', models.CharField(choices=[('cmmi', 'CMMI'), ('lean', 'Lean'), ('six_sigma', 'Six Sigma'), ('bpm', 'BPM'), ('itil', 'ITIL'), ('other', 'Other')], max_length=12, verbose_name='method')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('start', models.DateField(verbose_name='start')),
                    ('end', models.DateField(blank=True, null=True, verbose_name='end')),
                    ('state', models.CharField(choices=[('proposed', 'Proposed'), ('active', 'Active'), ('ended', 'Ended')], default='proposed', editable=False, max_length=10, verbose_name='status')),
                    ('outcome', models.TextField(blank=True, editable=False, verbose_name='outcome')),
                    ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='owned_initiatives', to=settings.AUTH_USER_MODEL, verbose_name='owner (advocate)')),
                    ('sponsor', models.ForeignKey(blank=True, help_text='The executive behind the initiative.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='sponsored_initiatives', to=settings.AUTH_USER_MODEL, verbose_name='sponsor')),
                    ('owning_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='opf.orgunit', verbose_name='owning org unit')),
                ],
                options={
                    'verbose_name': 'initiative',
                    'verbose_name_plural': 'initiatives',
                    'ordering': ['-start', 'pk'],
                    'indexes': [models.Index(fields=['state', 'start'], name='opf_initiat_state_371d36_idx')],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.CreateModel(
                name='Practice',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(max_length=20, verbose_name='code')),
                    ('name', models.CharField(max_length=255, verbose_name='name')),
                    ('statement', models.TextField(blank=True, verbose_name='statement')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('work_products', models.JSONField(blank=True, default=list, verbose_name='typical work products')),
                    ('subpractices', models.JSONField(blank=True, default=list, verbose_name='subpractices')),
                    ('order', models.PositiveIntegerField(default=0, verbose_name='order')),
                    ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, help_text='Bumped by every change.', verbose_name='version')),
                    ('goal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='practices', to='opf.goal', verbose_name='goal')),
                    ('process_area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='practices', to='opf.processarea', verbose_name='process area')),
                ],
                options={
                    'verbose_name': 'practice',
                    'verbose_name_plural': 'practices',
                    'ordering': ['process_area', 'order', 'code'],
                    'constraints': [models.UniqueConstraint(fields=('process_area', 'code'), name='unique_practice_per_area', violation_error_message='This process area already has a practice with this code.')],
                },
                bases=(opf.core.urlnames.UrlNamesMixin, models.Model),
            ),
            migrations.AddConstraint(
                model_name='goal',
                constraint=models.UniqueConstraint(fields=('process_area', 'code'), name='unique_goal_per_area'),
            ),
            migrations.AddConstraint(
                model_name='programdocument',
                constraint=models.UniqueConstraint(fields=('kind', 'revision'), name='unique_program_document_revision'),
            ),
            migrations.AddIndex(
                model_name='project',
                index=models.Index(fields=['org_unit', 'active'], name='opf_project_org_uni_66a307_idx'),
            ),
            migrations.AddIndex(
                model_name='project',
                index=models.Index(fields=['manager', 'active'], name='opf_project_manager_ccf128_idx'),
            ),
            migrations.AddIndex(
                model_name='project',
                index=models.Index(fields=['phase'], name='opf_project_phase_0d83da_idx'),
            ),
            migrations.AddIndex(
                model_name='project',
                index=models.Index(fields=['name', 'id'], name='project_name_idx'),
            ),
            migrations.AddConstraint(
                model_name='project',
                constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='project_end_after_start', violation_error_message='The planned end date cannot be before the start.'),
            ),
            migrations.AddConstraint(
                model_name='processarea',
                constraint=models.UniqueConstraint(fields=('reference_model', 'abbreviation'), name='unique_process_area_per_model', violation_error_message='This model already has a process area with this abbreviation.'),
            ),
            migrations.AddConstraint(
                model_name='remindersent',
                constraint=models.UniqueConstraint(fields=('kind', 'event_key', 'recipient'), name='reminder_once_per_event'),
            ),
            migrations.AddIndex(
                model_name='steeringmeeting',
                index=models.Index(fields=['state', 'scheduled_at'], name='opf_steerin_state_6bea6d_idx'),
            ),
            migrations.AddIndex(
                model_name='followup',
                index=models.Index(fields=['status', 'due'], name='opf_followu_status_738f90_idx'),
            ),
            migrations.AddIndex(
                model_name='webhookdelivery',
                index=models.Index(fields=['status', 'next_attempt_at'], name='opf_webhook_status_e64029_idx'),
            ),
            migrations.AddConstraint(
                model_name='webhookdelivery',
                constraint=models.UniqueConstraint(condition=models.Q(('dedupe_key', ''), _negated=True), fields=('endpoint', 'dedupe_key'), name='webhook_delivery_once_per_key'),
            ),
        ]),
        migrations.RunPython(create_roles, ROLES.remove_roles),
        migrations.RunPython(CMMI_DEV.load, CMMI_DEV.unload),
        migrations.RunPython(HEARTBEAT.schedule, HEARTBEAT.unschedule),
        migrations.RunPython(DOCUMENT_SWEEPER.schedule_sweeper, DOCUMENT_SWEEPER.unschedule_sweeper),
        migrations.RunPython(WEBHOOK_SWEEPER.schedule_sweeper, WEBHOOK_SWEEPER.unschedule_sweeper),
    ]
