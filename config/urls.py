from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from org import views as org_views

# Every login goes through allauth (rate limits, TOTP stage); the admin sites' own login forms would bypass both.
admin.site.login = secure_admin_login(admin.site.login)
_to_allauth_login = RedirectView.as_view(pattern_name="account_login", query_string=True)

handler403 = org_views.permission_denied

urlpatterns = [
    path("cms/login/", _to_allauth_login),
    path("django-admin/login/", _to_allauth_login),
    path("healthz", org_views.healthz, name="healthz"),
    # Browsers (and Wagtail's admin pages, which do not link ours) ask for /favicon.ico.
    path("favicon.ico", org_views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", org_views.home, name="home"),
    path("", include("org.urls")),
    path("exams/", include("exams.urls")),
    path("learning/", include("learning.urls")),
    path("", include("certification.urls")),
    path("contest/", include("contest.urls")),
    path("", include("mentorship.urls")),
    path("", include("reports.urls")),
]

# Public media are only Wagtail's images (renditions and originals), in DEBUG and production alike (a proxy may take
# over exactly these two folders). Everything else under MEDIA_ROOT is private: claim attachments leave through
# learning's access-checked view, Wagtail documents through Wagtail's serve view (collection privacy), staged import
# files never.
urlpatterns += [
    re_path(
        r"^media/(?P<path>(?:images|original_images)/[^/].*)$",
        org_views.public_media,
        name="public_media",
    )
]

# Wagtail serves the content tree (courses, cases ...) under /learn/ via its catch-all, last.
urlpatterns += [path("learn/", include(wagtail_urls))]
