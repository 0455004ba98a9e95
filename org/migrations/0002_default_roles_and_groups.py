"""Default role categories (data HR can edit) and the groups that give trainers and HR the CMS."""

from django.db import migrations

CATEGORIES = [
    ("leader", "领导干部", 10),
    ("middle", "中层骨干", 20),
    ("enforcer", "执法人员", 30),
    ("recruit", "新招录", 40),
    ("auxiliary", "协管员", 50),
    ("legal", "法制员", 60),
]
GROUPS = ["培训师", "人事", "系统管理员", "法制科审核"]


def forwards(apps, schema_editor):
    RoleCategory = apps.get_model("org", "RoleCategory")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for code, name, order in CATEGORIES:
        RoleCategory.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    admin_ct, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_ct, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
