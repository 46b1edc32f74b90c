"""Action items keep their step's title in both languages.

``title`` (copied in the language of whoever committed the step) becomes
``title_en`` and gains ``title_zh_hans``; ``ActionItem.title`` then reads the
reader's language. The existing rows are filled so that no text is lost:

- The step's titles in both languages come from its row while the item still
  points at it; for an item whose step was removed from the rubric since,
  from the cycle's pinned rubric version (the step there with the item's
  element, key and one of the two titles).
- The old text itself stays, in the column of its script: in
  ``title_zh_hans`` when it has Chinese characters, in ``title_en`` otherwise
  (so a step reworded since keeps the wording the team committed).
- Where neither the step nor its pinned copy can be found, the old text is
  all there is: a Chinese title fills both columns (an English reader sees the
  Chinese text rather than nothing), an English one fills ``title_en`` and
  Chinese readers fall back to it.

Going back keeps ``title_en`` as ``title``.
"""

import re

from django.db import migrations, models

CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_LENGTH = 300


def pinned_titles(data, element_key, step_key, old_title):
    """(English, Chinese) of the step in a rubric version's data, or None."""
    for element in data.get("elements", []):
        if element.get("key") != element_key:
            continue
        for level in element.get("levels", []):
            for step in level.get("action_steps", []):
                titles = (step.get("title_en") or "", step.get("title_zh_hans") or "")
                if step.get("key") == step_key and old_title in titles:
                    return titles
    return None


def titles_for(item, version_data):
    """The item's (title_en, title_zh_hans) after the split (see the module's docstring)."""
    old = item.title_en
    step = item.action_step
    found = None
    if step is not None:
        found = (step.title_en or "", step.title_zh_hans or "")
    elif version_data is not None:
        found = pinned_titles(version_data, item.element_key, item.step_key, old)
    english, chinese = found or (old, "")
    if CHINESE.search(old):
        chinese = old
    else:
        english = old
    return (english or old)[:MAX_LENGTH], chinese[:MAX_LENGTH]


def fill_titles(apps, schema_editor):
    ActionItem = apps.get_model("action_items", "ActionItem")
    RubricVersion = apps.get_model("playbook", "RubricVersion")
    db = schema_editor.connection.alias
    versions = {}  # a version's data is large: read each once

    def version_data(version_id):
        if version_id is None:
            return None
        if version_id not in versions:
            versions[version_id] = RubricVersion.objects.using(db).get(pk=version_id).data
        return versions[version_id]

    changed = []
    items = ActionItem.objects.using(db).select_related("action_step", "cycle").order_by("pk")
    for item in items.iterator(chunk_size=500):
        data = None if item.action_step_id else version_data(item.cycle.rubric_version_id)
        english, chinese = titles_for(item, data)
        if (english, chinese) != (item.title_en, item.title_zh_hans):
            item.title_en, item.title_zh_hans = english, chinese
            changed.append(item)
    ActionItem.objects.using(db).bulk_update(
        changed, ["title_en", "title_zh_hans"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("action_items", "0001_initial"),
        ("organisations", "0001_initial"),
        ("playbook", "0002_rubric_version"),
    ]

    operations = [
        migrations.RenameField(model_name="actionitem", old_name="title", new_name="title_en"),
        migrations.AlterField(
            model_name="actionitem",
            name="title_en",
            field=models.CharField(max_length=300, verbose_name="title (English)"),
        ),
        migrations.AddField(
            model_name="actionitem",
            name="title_zh_hans",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Chinese)"),
        ),
        migrations.RunPython(fill_titles, migrations.RunPython.noop, elidable=True),
    ]
