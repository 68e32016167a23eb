"""Every page, for every role, in a real browser, at a desk and on a phone (issue 15's "done when").

For each role (one test per role and part, so pytest-xdist's workers share the walk):
- admin (roles that use the admin site): the index, and for every model the role may open its
  changelist, the change page of one row the role itself sees (picked through the model admin's
  own `get_queryset` for that user) and that row's history page;
- portal: every portal page (lists and forms; details on a row `visible_to` that user), and the
  statistics dashboard for roles that read statistics.

Each URL is loaded once, measured at 1366 × 768, then the window is narrowed to 390 × 844 (the
page reflows, media queries re-evaluate) and measured again. Everywhere: no 5xx; the document no
wider than the window (`scrollWidth <= clientWidth`); at the desk a changelist's table no wider
than its box (no hidden columns; on a phone it may scroll inside its own box); no English words
in the Chinese UI outside an allow-list; no snake_case codes; people named in Chinese order.

Models with no row a role sees are listed in NO_ROW_VISIBLE, and the walk asserts that list.
Every portal URL is either walked or named in PORTAL_NOT_PAGES with a reason, so a new page
cannot be missed."""

import re

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mobilization.accounts.services import token_issue
from mobilization.services import notify
from tests.base import PACKAGE_ADMIN, PORTAL_ONLY, ROLES, make_row, may_open
from tests.browser import BrowserTestCase
from tests.reporting.data import build

DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# Words the Chinese UI may show in Latin letters: product and format names, units, our own codes.
ALLOWED_WORDS = {
    "API", "Excel", "xlsx", "csv", "CSV", "PDF", "JPEG", "PNG", "WebP", "MP4", "MOV", "WebM", "SMS", "URL",
    "TOTP", "OTP", "MB", "KB", "GB", "km", "ID", "IP", "OpenAPI", "JSON", "HTTP", "HTTPS", "Token", "Celery",
    "Django", "Redis", "Chart", "CISP", "XLSX",
    "English",  # the language switch offers English by its own name
    "GET", "POST",  # HTTP methods: what a lockout records of the refused requests
}  # fmt: skip
# Rows typed by the tests themselves (emails, usernames, codes the test data holds) are not UI.
# MIME types name file formats. "test" and "side" are words of the API tests' makers' rows.
TEST_DATA = re.compile(r"\S+@\S+|\bt_[a-z_]+\b|\b[a-z0-9]{1,8}\d+\b|\b(?:image|video)/[a-z0-9.+-]+|\btest\b|\bside\b")
ENGLISH = re.compile(r"\b[A-Za-z][A-Za-z'’]{2,}\b")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")

# Portal pages that take an object, and the model whose first row visible to the user opens them.
PORTAL_DETAIL = {
    "portal:teams-detail": "teams.Team",
    "portal:teams-activation": "teams.Activation",
    "portal:teams-activation-board": "teams.Activation",
    "portal:members-change": "members.RosterChange",
    "portal:members-propose-for": "members.Person",
    "portal:members-availability": "members.Person",
    "portal:inspections-report": "inspections.InspectionReport",
    "portal:inspections-report-new": "inspections.Facility",
    "portal:inspections-report-edit": "inspections.InspectionReport",
    "portal:inspections-rectification": "inspections.Rectification",
    "portal:training-drill": "training.AlarmTestDrill",
    "portal:training-competition": "training.Competition",
    "portal:training-attendance": "training.Exercise",
    "portal:command-request": "command.MilitaryRequest",
    "portal:command-task": "command.JointTask",
}
# Portal URLs that are not pages a person reads, and why the walk does not open them.
PORTAL_NOT_PAGES = {
    "portal:login": "the walk logs in through it",
    "portal:logout": "ends the session",
    "portal:notifications-read": "POST only",
    "portal:job-status": "JSON for a progress bar",
    "portal:otp-verify": "asks for a second factor the walk's users have not enrolled (redirects)",
    "portal:members-export": "a workbook download",
    "portal:members-template": "a workbook download",
    "portal:members-import": "a running import job's page (tests/members walk it with a job)",
    "portal:members-change-withdraw": "POST only",
    "portal:teams-activation-acknowledge": "POST only",
    "portal:inspections-map-data": "JSON for the map",
    "portal:inspections-report-review": "POST only",
    "portal:inspections-report-rectify": "POST only",
    "portal:inspections-rectification-step": "POST only",
    "portal:inspections-follow-up-done": "POST only",
    "portal:inspections-media": "a stored file",
    "portal:inspections-evidence": "a stored file",
    "portal:inspections-follow-up-evidence": "a stored file",
    "portal:command-task-sign": "POST only",
    "portal:command-assignment-step": "POST only",
    "portal:command-attachment": "a stored file",
    "portal:command-evidence": "a stored file",
    "portal:command-material": "a stored file",
}
# Pages of an installed package whose words are the package's and the system's own identifiers,
# not ours to translate: django-celery-beat's schedules (the system administrator's) name tasks
# by their registered names, time zones by their IANA names, and describe crontabs in English.
# Their size and status are still checked; their words are not.
PACKAGE_WORDS = {"/admin/django_celery_beat/": "django-celery-beat's schedule pages"}
# Per role, the admin models whose changelist it opens but in which it sees no row of the walk's
# data: their change and history pages are not walked for that role.
NO_ROW_VISIBLE = {
    # An archive holds events older than the retention (at least 180 days); tests/mobilization/
    # test_audit.py opens its pages.
    "auditor": {"mobilization.AuditArchive"},
    # The beat runs on crontab schedules only: the other kinds of schedule hold no row.
    "sysadmin": {
        "django_celery_beat.ClockedSchedule",
        "django_celery_beat.IntervalSchedule",
        "django_celery_beat.SolarSchedule",
    },
}

MEASURE = """(desk) => {
    const root = document.documentElement;
    const seen = {scroll: root.scrollWidth, client: root.clientWidth, lang: root.lang, hidden: 0};
    // At a desk a changelist's columns all show: its table is no wider than its box.
    const results = document.querySelector('#changelist .results');
    const table = results && results.querySelector('table');
    if (desk && table) {
        seen.hidden = Math.max(0, Math.round(table.getBoundingClientRect().width - results.clientWidth));
    }
    // Reference data's own codes (the "code" column a system administrator edits) and what a page
    // marks as no language (translate="no": a second factor's key) are data, not UI.
    const data = document.querySelectorAll('.field-code, [translate=no]');
    data.forEach(el => { el.dataset.walkDisplay = el.style.display; el.style.display = 'none'; });
    seen.text = document.body.innerText;
    data.forEach(el => { el.style.display = el.dataset.walkDisplay; });
    return seen;
}"""
# Resizing re-evaluates media queries at once; ResizeObservers (charts) answer by the next frames.
SETTLE = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def portal_url_names():
    """Every named portal URL."""
    resolver = get_resolver().namespace_dict["portal"][1]
    return {f"portal:{name}" for name in resolver.reverse_dict if isinstance(name, str)}


PORTAL_LIST = sorted(portal_url_names() - set(PORTAL_DETAIL) - set(PORTAL_NOT_PAGES))


@pytest.mark.browser
class EveryPageTest(BrowserTestCase):
    def setUp(self):
        from tests.base import World

        self.world = World()
        build(self.world)
        names = {"city_office": "赵立新", "office": "王芳", "unit": "李建国", "inspector": "陈静", "director": "刘强",
                 "liaison": "孙海涛", "auditor": "周敏", "sysadmin": "吴磊", "secadmin": "郑丽"}  # fmt: skip
        for role, name in names.items():
            user = self.world.users[role]
            user.last_name, user.first_name = name[0], name[1:]
            user.save(update_fields=["last_name", "first_name"])
            # Notifications are each reader's own: every role reads one of its own.
            notify(
                recipients=[user], key=f"walk:{role}", kind="roster_change", title="花名册变更待审核", url="/portal/"
            )
        for model in admin.site._registry:
            label = model._meta.label
            if label in PACKAGE_ADMIN or label in ("mobilization.ApiToken", "mobilization.AuditArchive"):
                continue
            try:
                make_row(model, self.world, self.world.a)
            except Exception:  # a maker that needs its own test's setup: other rows may still show
                pass
        # The security administrator's rows: a second factor, an API token.
        office = self.world.users["office"]
        TOTPDevice.objects.create(user=office, name="手机", confirmed=True)
        token_issue(user=office)
        # A lockout running now, of a username and an address the walk's own logins do not use.
        AccessAttempt.objects.create(
            username="guess01", ip_address="10.9.9.9", user_agent="", http_accept="*/*", path_info="",
            get_data="", post_data="", failures_since_start=settings.AXES_FAILURE_LIMIT,
        )  # fmt: skip
        self.problems, self.walked, self.no_row = [], {"desk": 0, "phone": 0}, set()

    # -- measuring -------------------------------------------------------------------------------

    def check(self, page, url):
        """Load `url` once, measure it at a desk, narrow the window to a phone and measure again."""
        page.set_viewport_size(DESK)
        response = page.goto(f"{self.live_server_url}{url}")
        status = response.status if response else 0
        if status >= 500:
            self.problems.append(f"{url}: HTTP {status}")
            return
        for size, desk in ((DESK, True), (PHONE, False)):
            if not desk:
                page.set_viewport_size(size)
                page.evaluate(SETTLE)
            self.measure(page, url, size["width"], page.evaluate(MEASURE, desk))
            self.walked["desk" if desk else "phone"] += 1

    def measure(self, page, url, width, seen):
        def problem(text):
            if text not in self.problems:
                self.problems.append(text)

        if seen["scroll"] > seen["client"]:
            problem(f"{url} @{width}: {seen['scroll']} px wide in {seen['client']} px")
        if seen["hidden"] > 2:
            problem(f"{url} @{width}: columns hidden, the table is {seen['hidden']} px wider than its box")
        if any(url.startswith(prefix) for prefix in PACKAGE_WORDS):
            return
        text = TEST_DATA.sub(" ", seen["text"])
        if seen["lang"] == "zh-hans":
            allowed = {w.upper() for w in ALLOWED_WORDS}
            english = sorted({w for w in ENGLISH.findall(text) if w.upper() not in allowed})
            if english:
                problem(f"{url}: English {english[:8]}")
        codes = sorted(set(SNAKE.findall(text)))
        if codes:
            problem(f"{url}: codes {codes[:8]}")
        if "芳 王" in text or "芳王" in text:
            problem(f"{url}: given name first")

    # -- what each role opens --------------------------------------------------------------------

    def admin_urls(self, role):
        user = self.world.users[role]
        request = RequestFactory().get("/admin/")
        request.user = user
        urls = [reverse("admin:index")]
        for model, model_admin in admin.site._registry.items():
            label = model._meta.label
            if not may_open(role, label):
                continue
            info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            urls.append(reverse(f"{info}_changelist"))
            row = model_admin.get_queryset(request).order_by("pk").first()
            if row is None:
                self.no_row.add(label)
                continue
            urls += [reverse(f"{info}_change", args=[row.pk]), reverse(f"{info}_history", args=[row.pk])]
        return urls

    def portal_urls(self, user):
        urls = [reverse(name) for name in PORTAL_LIST]
        for name, label in PORTAL_DETAIL.items():
            row = apps.get_model(label).objects.visible_to(user).order_by("pk").first()
            if row is not None:
                urls.append(reverse(name, args=[row.pk]))
        if user.has_perm("reporting.view_statisticssnapshot"):
            urls.append(reverse("dashboard:index"))
        return urls

    # -- the walk --------------------------------------------------------------------------------

    def walk_admin(self, role):
        user = self.world.users[role]
        self.assertTrue(user.is_staff)
        page = self.new_page(viewport=DESK)
        self.log_in(page, user.username, at="/admin/login/", next_url="/admin/")
        for url in self.admin_urls(role):
            self.check(page, url)
        print(f"{role} admin: {self.walked}")
        self.assertEqual(self.problems, [], "\n".join(self.problems))
        self.assertEqual(sorted(self.no_row), sorted(NO_ROW_VISIBLE.get(role, ())), "models with no visible row")
        self.assertGreater(self.walked["phone"], 0)

    def walk_portal(self, role):
        user = self.world.users[role]
        page = self.new_page(viewport=DESK)
        self.log_in(page, user.username)
        for url in self.portal_urls(user):
            self.check(page, url)
        print(f"{role} portal: {self.walked}")
        self.assertEqual(self.problems, [], "\n".join(self.problems))
        self.assertEqual(self.walked["desk"], self.walked["phone"])


def test_every_portal_url_is_walked_or_named():
    names = portal_url_names()
    assert set(PORTAL_DETAIL) <= names and set(PORTAL_NOT_PAGES) <= names, "a named portal URL that does not exist"
    assert names == set(PORTAL_LIST) | set(PORTAL_DETAIL) | set(PORTAL_NOT_PAGES)


def _walk(part, role):
    def walk_role(self):
        getattr(self, f"walk_{part}")(role)

    walk_role.__name__ = f"test_{part}_{role}"
    walk_role.__doc__ = f"The {part} pages of the {role} role, at a desk and on a phone."
    return walk_role


for _role in ROLES:
    if _role not in PORTAL_ONLY:
        setattr(EveryPageTest, f"test_admin_{_role}", _walk("admin", _role))
    setattr(EveryPageTest, f"test_portal_{_role}", _walk("portal", _role))
