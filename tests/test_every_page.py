"""Every page, for every role, in a real browser (issue 15's "done when"): each admin changelist,
one change page and one history page per model at a desk (1366 × 768), every portal page at a
phone (390 × 844), the dashboard at both. On each: no 5xx, nothing wider than the window
(`scrollWidth <= clientWidth`), no English words in the Chinese UI outside an allow-list, no
snake_case codes, and people named in Chinese order.

Bounded: one browser, one login per role and size, each page loaded once; a few minutes."""

import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

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
}  # fmt: skip
# Rows typed by the tests themselves (emails, usernames, codes the test data holds) are not UI.
# MIME types name file formats. "test" and "side" are words of the API tests' makers' rows.
TEST_DATA = re.compile(r"\S+@\S+|\bt_[a-z_]+\b|\b[a-z0-9]{1,8}\d+\b|\b(?:image|video)/[a-z0-9.+-]+|\btest\b|\bside\b")
ENGLISH = re.compile(r"\b[A-Za-z][A-Za-z'’]{2,}\b")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# Portal pages that take an object, and the model whose first visible row opens them.
PORTAL_DETAIL = {
    "portal:teams-detail": "teams.Team",
    "portal:members-change": "members.RosterChange",
    "portal:inspections-report": "inspections.InspectionReport",
    "portal:inspections-rectification": "inspections.Rectification",
    "portal:training-drill": "training.AlarmTestDrill",
    "portal:training-competition": "training.Competition",
    "portal:training-attendance": "training.Exercise",
}
PORTAL_LIST = [
    "portal:home",
    "portal:notifications",
    "portal:security",
    "portal:teams-readiness",
    "portal:members-roster",
    "portal:members-changes",
    "portal:members-upload",
    "portal:members-propose",
    "portal:inspections-home",
    "portal:inspections-potential",
    "portal:inspections-facilities",
    "portal:training-exercises",
    "portal:training-rates",
]

MEASURE = """() => {
    const root = document.documentElement;
    const seen = {scroll: root.scrollWidth, client: root.clientWidth, lang: root.lang};
    // A changelist's columns all show: its table is no wider than its box.
    const results = document.querySelector('#changelist .results');
    const table = results && results.querySelector('table');
    seen.hidden = table ? Math.max(0, Math.round(table.getBoundingClientRect().width - results.clientWidth)) : 0;
    // Reference data's own codes (the "code" column a system administrator edits) are data, not UI.
    document.querySelectorAll('.field-code').forEach(el => { el.style.display = 'none'; });
    seen.text = document.body.innerText;
    return seen;
}"""


@pytest.mark.browser
class EveryPageFitsTest(BrowserTestCase):
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
        self.rows = {}
        for model in admin.site._registry:
            label = model._meta.label
            if label in PACKAGE_ADMIN or label in ("mobilization.ApiToken", "mobilization.AuditArchive"):
                continue
            try:
                self.rows[label] = make_row(model, self.world, self.world.a)
            except Exception:  # a maker that needs its own test's setup: the changelist is still walked
                self.rows[label] = model.objects.first()

    def check(self, page, url, problems):
        response = page.goto(f"{self.live_server_url}{url}")
        status = response.status if response else 0
        if status >= 500:
            problems.append(f"{url}: HTTP {status}")
            return
        seen = page.evaluate(MEASURE)
        size = page.viewport_size["width"]
        if seen["scroll"] > seen["client"]:
            problems.append(f"{url} @{size}: {seen['scroll']} px wide in {seen['client']} px")
        if seen["hidden"] > 2:
            problems.append(f"{url} @{size}: columns hidden, the table is {seen['hidden']} px wider than its box")
        text = TEST_DATA.sub(" ", seen["text"])
        if seen["lang"] == "zh-hans":
            allowed = {w.upper() for w in ALLOWED_WORDS}
            english = sorted({w for w in ENGLISH.findall(text) if w.upper() not in allowed})
            if english:
                problems.append(f"{url}: English {english[:8]}")
        codes = sorted(set(SNAKE.findall(text)))
        if codes:
            problems.append(f"{url}: codes {codes[:8]}")
        if "芳 王" in text or "芳王" in text:
            problems.append(f"{url}: given name first")

    def admin_urls(self, role):
        urls = [reverse("admin:index")]
        for model in admin.site._registry:
            label = model._meta.label
            if label in PACKAGE_ADMIN or not may_open(role, label):
                continue
            info = (model._meta.app_label, model._meta.model_name)
            urls.append(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
            row = self.rows.get(label)
            if row is not None and role == self.owner(label):
                change = reverse(f"admin:{info[0]}_{info[1]}_change", args=[row.pk])
                urls += [change, change.replace("/change/", "/history/")]
        return urls

    @staticmethod
    def owner(label):
        """The one role whose walk opens a model's change and history pages (bounded time)."""
        for role in ("office", "auditor", "secadmin", "sysadmin"):
            if may_open(role, label):
                return role
        return None

    def portal_urls(self, user):
        urls = []
        for name in PORTAL_LIST:
            try:
                urls.append(reverse(name))
            except NoReverseMatch:
                pass
        for name, label in PORTAL_DETAIL.items():
            from django.apps import apps

            model = apps.get_model(label)
            row = model.objects.visible_to(user).order_by("pk").first()
            if row is not None:
                urls.append(reverse(name, args=[row.pk]))
        return urls

    def test_every_page_of_every_role_fits_and_speaks_chinese(self):
        problems = []
        for role in ROLES:
            user = self.world.users[role]
            if role not in PORTAL_ONLY and user.is_staff:
                desk = self.new_page(viewport=DESK)
                self.log_in(desk, user.username, at="/admin/login/", next_url="/admin/")
                for url in self.admin_urls(role):
                    self.check(desk, url, problems)
                if user.has_perm("reporting.view_statisticssnapshot"):
                    self.check(desk, reverse("dashboard:index"), problems)
                desk.context.close()
            phone = self.new_page(viewport=PHONE)
            self.log_in(phone, user.username)
            for url in self.portal_urls(user):
                self.check(phone, url, problems)
            if user.has_perm("reporting.view_statisticssnapshot"):
                self.check(phone, reverse("dashboard:index"), problems)
            phone.context.close()
        self.assertEqual(problems, [], "\n".join(problems))
