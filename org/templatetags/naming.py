"""{{ officer.role_category|display_name }}: the English name of a taxonomy row when the page is in English."""

from django import template

from org import naming

register = template.Library()

register.filter("display_name", naming.display_name)
