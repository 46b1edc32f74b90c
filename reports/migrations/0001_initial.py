"""PDF action plans, moved from the assessments app.

The tables keep their names (``db_table``): only Django's record of which app
holds the models changes, and the content types with it, so permissions,
admin history and anything else pointing at them stay attached.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ['actionplan']


def move_content_types_here(apps, schema_editor):
    """Content types (and so permissions and admin history) follow the models here."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="assessments", model__in=MODELS
    ).update(app_label="reports")


def move_content_types_back(apps, schema_editor):
    """Content types (and so permissions and admin history) follow the models here."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="reports", model__in=MODELS
    ).update(app_label="assessments")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("assessments", "0006_invitation_withdrawn"),
        ("organisations", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ActionPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('assessment', "One respondent's assessment"), ('team', 'Team result'), ('organisation', 'Organisation')], default='assessment', max_length=12, verbose_name='kind')),
                        ('language', models.CharField(max_length=10, verbose_name='language')),
                        ('input_hash', models.CharField(db_index=True, max_length=64, verbose_name='input fingerprint')),
                        ('status', models.CharField(choices=[('pending', 'Waiting to be prepared'), ('running', 'Being prepared'), ('ready', 'Ready'), ('failed', 'Failed')], default='pending', max_length=10, verbose_name='status')),
                        ('pdf', models.FileField(blank=True, upload_to='action-plans/%Y/%m/', verbose_name='PDF')),
                        ('filename', models.CharField(blank=True, max_length=200, verbose_name='file name')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('assessment', models.ForeignKey(blank=True, help_text='Empty for a team result combining every respondent.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='action_plans', to='assessments.assessment', verbose_name='assessment')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_plans', to='organisations.cycle', verbose_name='cycle')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                        ('team', models.ForeignKey(blank=True, help_text='Empty for an organisation plan.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='action_plans', to='organisations.team', verbose_name='team')),
                    ],
                    options={
                        'verbose_name': 'PDF action plan',
                        'verbose_name_plural': 'PDF action plans',
                        'db_table': 'assessments_actionplan',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('kind', 'assessment')), fields=('team', 'cycle', 'assessment', 'language', 'input_hash'), name='one_action_plan_per_input'), models.UniqueConstraint(condition=models.Q(('kind', 'team')), fields=('team', 'cycle', 'language', 'input_hash'), name='one_team_action_plan_per_input'), models.UniqueConstraint(condition=models.Q(('kind', 'organisation')), fields=('cycle', 'language', 'input_hash'), name='one_organisation_action_plan_per_input')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types_here, move_content_types_back),
    ]
