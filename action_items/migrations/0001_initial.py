"""Action items, moved from the assessments app.

The tables keep their names (``db_table``): only Django's record of which app
holds the models changes, and the content types with it, so permissions,
admin history and anything else pointing at them stay attached.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ['actionitem']


def move_content_types_here(apps, schema_editor):
    """Content types (and so permissions and admin history) follow the models here."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="assessments", model__in=MODELS
    ).update(app_label="action_items")


def move_content_types_back(apps, schema_editor):
    """Content types (and so permissions and admin history) follow the models here."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="action_items", model__in=MODELS
    ).update(app_label="assessments")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("assessments", "0006_invitation_withdrawn"),
        ("organisations", "0001_initial"),
        ("playbook", "0002_rubric_version"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ActionItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('element_key', models.SlugField(blank=True, verbose_name='element key')),
                        ('step_key', models.SlugField(blank=True, verbose_name='step key')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('owner_name', models.CharField(blank=True, help_text='When the owner has no login.', max_length=200, verbose_name='owner (name)')),
                        ('due_date', models.DateField(blank=True, null=True, verbose_name='due date')),
                        ('status', models.CharField(choices=[('todo', 'To do'), ('doing', 'Doing'), ('done', 'Done')], default='todo', max_length=10, verbose_name='status')),
                        ('notes', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name='notes')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('action_step', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_items', to='playbook.actionstep', verbose_name='action step')),
                        ('carried_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='carried_to', to='action_items.actionitem', verbose_name='carried over from')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                    ],
                    options={
                        'verbose_name': 'action item',
                        'verbose_name_plural': 'action items',
                        'db_table': 'assessments_actionitem',
                        'ordering': ['status', 'due_date', 'pk'],
                    },
                ),
                migrations.AddField(
                    model_name='actionitem',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='organisations.cycle', verbose_name='cycle'),
                ),
                migrations.AddField(
                    model_name='actionitem',
                    name='owner',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='owned_action_items', to=settings.AUTH_USER_MODEL, verbose_name='owner'),
                ),
                migrations.AddField(
                    model_name='actionitem',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='organisations.team', verbose_name='team'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types_here, move_content_types_back),
    ]
