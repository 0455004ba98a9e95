"""Learning needs the 学时类别 师徒带教 (mentoring hours); content's seed has the other four. The category is
content's row (content.CreditCategory): created here only if missing, never renamed if it exists."""

from django.db import migrations

# Content's seed uses sort orders 10..40 (rule_of_law, business, political, law_exam).
MENTORING = {"code": "mentoring", "name": "师徒带教", "sort_order": 50}


def forwards(apps, schema_editor):
    # The historical model, as Django requires in migrations (same effect as content.services
    # .credit_category_ensure, except that a name an editor already changed is kept).
    CreditCategory = apps.get_model("content", "CreditCategory")
    CreditCategory.objects.get_or_create(
        code=MENTORING["code"], defaults={"name": MENTORING["name"], "sort_order": MENTORING["sort_order"]}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_seed_taxonomies"),
        ("learning", "0002_ledger_append_only"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
