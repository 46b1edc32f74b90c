"""Organisations, teams, memberships, cycles and invitations, moved from the assessments app.

The tables keep their names (``db_table``): only Django's record of which app
holds the models changes, and the content types with it, so permissions,
admin history and anything else pointing at them stay attached.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ['organisation', 'team', 'membership', 'cycle', 'invitation']


def move_content_types_here(apps, schema_editor):
    """Content types (and so permissions and admin history) follow the models here."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="assessments", model__in=MODELS
    ).update(app_label="organisations")


def move_content_types_back(apps, schema_editor):
    """Content types (and so permissions and admin history) follow the models here."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="organisations", model__in=MODELS
    ).update(app_label="assessments")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("assessments", "0006_invitation_withdrawn"),
        ("playbook", "0002_rubric_version"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Organisation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('slug', models.SlugField(unique=True, verbose_name='slug')),
                    ],
                    options={
                        'verbose_name': 'organisation',
                        'verbose_name_plural': 'organisations',
                        'db_table': 'assessments_organisation',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Team',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('slug', models.SlugField(verbose_name='slug')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='teams', to='organisations.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'team',
                        'verbose_name_plural': 'teams',
                        'db_table': 'assessments_team',
                        'ordering': ['organisation', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('lead', 'Team lead'), ('manager', 'CX manager')], max_length=10, verbose_name='role')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='organisations.organisation', verbose_name='organisation')),
                        ('team', models.ForeignKey(blank=True, help_text='Required for team leads; empty for CX managers.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='organisations.team', verbose_name='team')),
                    ],
                    options={
                        'verbose_name': 'membership',
                        'verbose_name_plural': 'memberships',
                        'db_table': 'assessments_membership',
                    },
                ),
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='email')),
                        ('token', models.CharField(max_length=64, unique=True, verbose_name='token')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='sent')),
                        ('expires_at', models.DateTimeField(verbose_name='expires')),
                        ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted')),
                        ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn')),
                        ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='accepted by')),
                        ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
                        ('withdrawn_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='withdrawn by')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='organisations.organisation', verbose_name='organisation')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='organisations.team', verbose_name='team')),
                    ],
                    options={
                        'verbose_name': 'invitation',
                        'verbose_name_plural': 'invitations',
                        'db_table': 'assessments_invitation',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Cycle',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('slug', models.SlugField(verbose_name='slug')),
                        ('opens_on', models.DateField(verbose_name='opens on')),
                        ('closes_on', models.DateField(verbose_name='closes on')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=10, verbose_name='status')),
                        ('frameworks', models.ManyToManyField(related_name='cycles', to='playbook.framework', verbose_name='frameworks')),
                        ('rubric_version', models.ForeignKey(blank=True, help_text='The rubric as it was when the cycle opened; later edits do not change it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cycles', to='playbook.rubricversion', verbose_name='rubric version')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cycles', to='organisations.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'cycle',
                        'verbose_name_plural': 'cycles',
                        'db_table': 'assessments_cycle',
                        'ordering': ['organisation', '-opens_on'],
                        'constraints': [models.UniqueConstraint(fields=('organisation', 'slug'), name='unique_cycle_slug'), models.CheckConstraint(condition=models.Q(('closes_on__gte', models.F('opens_on'))), name='cycle_closes_after_it_opens')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='team',
                    constraint=models.UniqueConstraint(fields=('organisation', 'slug'), name='unique_team_slug'),
                ),
                migrations.AddConstraint(
                    model_name='membership',
                    constraint=models.UniqueConstraint(condition=models.Q(('role', 'lead')), fields=('user', 'team'), name='unique_team_lead_membership'),
                ),
                migrations.AddConstraint(
                    model_name='membership',
                    constraint=models.UniqueConstraint(condition=models.Q(('role', 'manager')), fields=('user', 'organisation'), name='unique_manager_membership'),
                ),
                migrations.AddConstraint(
                    model_name='membership',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'lead'), ('team__isnull', False)), models.Q(('role', 'manager'), ('team__isnull', True)), _connector='OR'), name='lead_has_team_manager_has_none'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types_here, move_content_types_back),
    ]
