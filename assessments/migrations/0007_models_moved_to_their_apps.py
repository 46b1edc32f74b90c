"""Organisations, cycles, action plans and action items now live in their own apps.

Nothing changes in the database: the tables keep their names, and the new
apps' first migrations take the models over. Here the assessments app lets go
of them and points its own foreign keys at their new homes.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0006_invitation_withdrawn"),
        ("organisations", "0001_initial"),
        ("reports", "0001_initial"),
        ("action_items", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='assessment',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='organisations.cycle', verbose_name='cycle'),
                ),
                migrations.AlterField(
                    model_name='reminder',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='organisations.cycle', verbose_name='cycle'),
                ),
                migrations.AlterField(
                    model_name='assessment',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='organisations.team', verbose_name='team'),
                ),
                migrations.AlterField(
                    model_name='reminder',
                    name='team',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='organisations.team', verbose_name='team'),
                ),
                migrations.DeleteModel(
                    name='ActionItem',
                ),
                migrations.DeleteModel(
                    name='ActionPlan',
                ),
                migrations.DeleteModel(
                    name='Invitation',
                ),
                migrations.DeleteModel(
                    name='Membership',
                ),
                migrations.DeleteModel(
                    name='Cycle',
                ),
                migrations.DeleteModel(
                    name='Team',
                ),
                migrations.DeleteModel(
                    name='Organisation',
                ),
            ],
        ),
    ]
