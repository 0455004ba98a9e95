from django.db import migrations

# Codes match content's credit categories (content.selectors.credit_categories()); names may be renamed there.
DEFAULTS = [
    ("rule_of_law", "法治教育"),
    ("business", "业务培训"),
    ("political", "政治理论"),
    ("law_exam", "学法考试"),
    ("mentoring", "师徒带教"),
]


def forwards(apps, schema_editor):
    CreditCategory = apps.get_model("learning", "CreditCategory")
    for order, (code, name) in enumerate(DEFAULTS):
        CreditCategory.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_ledger_append_only")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
