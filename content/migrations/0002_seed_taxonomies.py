from django.db import migrations

CREDIT_CATEGORIES = [
    ("rule_of_law", "法治教育", 10),
    ("business", "业务培训", 20),
    ("political", "政治理论", 30),
    ("law_exam", "学法考试", 40),
]

VIOLATION_CATEGORIES = [
    ("illegal_building", "违法建设", 10),
    ("street_vending", "市容秩序/占道经营", 20),
    ("outdoor_ads", "户外广告", 30),
    ("waste_sorting", "垃圾分类", 40),
    ("greenery", "市政园林/毁绿", 50),
    ("gas_safety", "燃气安全", 60),
    ("dust", "扬尘", 70),
    ("cooking_fumes", "餐饮油烟", 80),
    ("noise", "噪声", 90),
    ("dog_keeping", "文明养犬", 100),
    ("muck_transport", "渣土运输", 110),
    ("municipal_facilities", "市政设施", 120),
    ("shared_bikes", "共享单车停放", 130),
]


def forwards(apps, schema_editor):
    CreditCategory = apps.get_model("content", "CreditCategory")
    ViolationCategory = apps.get_model("content", "ViolationCategory")
    for code, name, order in CREDIT_CATEGORIES:
        CreditCategory.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    for code, name, order in VIOLATION_CATEGORIES:
        ViolationCategory.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
