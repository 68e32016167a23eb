"""Accounts as MLPS level 3 expects (issue 11): two factors, expiring tokens, lockout by username
and by address, password change, expiry and history, and one client address for audit and lockout."""

import base64
import hashlib
import time
from datetime import timedelta

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mobilization.accounts import services
from mobilization.accounts.ip import client_ip
from mobilization.choices import AuditActionChoices, RoleChoices
from mobilization.models import ApiToken, AuditEvent, PasswordRecord
from mobilization.services import user_assign_role
from tests.base import World, WorldTestCase

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOKEN_URL = "/api/v1/auth/token/"
PASSWORD_URL = "/api/v1/auth/password/"


def totp_code(device, *, steps_ahead=0):
    """The code the user's phone shows now (or `steps_ahead` periods later), computed from the secret."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


class AccountsTestCase(WorldTestCase):
    def setUp(self):
        AccessAttempt.objects.all().delete()

    def enrol(self, role):
        user = self.world.users[role] if role != "root" else self.world.superuser
        services.otp_enrol_secret(user=user, secret=SECRET)
        return TOTPDevice.objects.get(user=user, confirmed=True)

    def token(self, username, password=World.PASSWORD, ip="10.1.2.3", **extra):
        return self.client.post(TOKEN_URL, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)

    def get_with_token(self, key):
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            return self.client.get(reverse("api:region-list"))
        finally:
            self.client.credentials()

    def form_post(self, path, data, **extra):
        return self.client.post(path, data, format="multipart", **extra)

    def events(self, action, **filters):
        return AuditEvent.objects.filter(action=action, **filters)


@override_settings(OTP_REQUIRED=True)
class TwoFactorTokenTest(AccountsTestCase):
    def test_office_staff_get_no_token_with_a_password_alone_and_one_with_a_valid_code(self):
        device = self.enrol("office")
        response = self.token("t_office")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.json()), ["otp"])
        wrong = self.token("t_office", otp="000000" if totp_code(device) != "000000" else "111111")
        self.assertEqual((wrong.status_code, list(wrong.json())), (400, ["otp"]))

        response = self.token("t_office", otp=totp_code(device))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(sorted(response.json()), ["expires", "token"])
        self.assertEqual(self.get_with_token(response.json()["token"]).status_code, 200)
        self.assertEqual(self.events(AuditActionChoices.TOKEN_ISSUED, username="t_office").count(), 1)

    def test_a_code_is_used_once(self):
        device = self.enrol("office")
        code = totp_code(device)
        self.assertEqual(self.token("t_office", otp=code).status_code, 200)
        self.assertEqual(self.token("t_office", otp=code).status_code, 400)

    def test_a_required_role_not_yet_enrolled_is_told_to_enrol(self):
        response = self.token("t_auditor")
        self.assertEqual(response.status_code, 400)
        self.assertIn("otp", response.json())
        self.assertFalse(ApiToken.objects.filter(user=self.world.users["auditor"]).exists())

    def test_the_superuser_needs_two_factors_too(self):
        self.assertEqual(self.token("t_root").status_code, 400)
        device = self.enrol("root")
        self.assertEqual(self.token("t_root", otp=totp_code(device)).status_code, 200)

    def test_a_military_liaison_needs_no_second_factor_and_an_enrolled_inspector_gives_one(self):
        self.assertEqual(self.token("t_liaison").status_code, 200)
        device = self.enrol("inspector")
        self.assertEqual(self.token("t_inspector").status_code, 400)
        self.assertEqual(self.token("t_inspector", otp=totp_code(device)).status_code, 200)

    def test_a_recovery_code_works_once_and_its_use_is_audited(self):
        user = self.world.users["office"]
        device = services.otp_enrol_start(user=user)
        codes = services.otp_enrol_confirm(user=user, device=device, code=totp_code(device))
        self.assertEqual(len(codes), 10)
        self.assertEqual(self.events(AuditActionChoices.OTP_ENROLLED, user=user).count(), 1)

        self.assertEqual(self.token("t_office", otp=codes[0]).status_code, 200)
        again = self.token("t_office", otp=codes[0])
        self.assertEqual((again.status_code, list(again.json())), (400, ["otp"]))
        event = self.events(AuditActionChoices.OTP_RECOVERY_USED, user=user).get()
        self.assertEqual(event.detail, {"remaining": 9})

    def test_wrong_codes_count_toward_the_lockout(self):
        self.enrol("office")
        for _ in range(5):
            self.token("t_office", otp="12345x")
        self.assertEqual(self.token("t_office", ip="10.8.8.8").status_code, 429)


class TwoFactorOffByDefaultTest(AccountsTestCase):
    def test_the_embedded_default_opens_with_a_password_alone(self):
        from django.conf import settings

        self.assertFalse(settings.OTP_REQUIRED)
        self.assertEqual(self.token("t_office").status_code, 200)

    def test_an_enrolled_user_gives_the_code_even_when_not_required(self):
        device = self.enrol("unit")
        self.assertEqual(self.token("t_unit").status_code, 400)
        self.assertEqual(self.token("t_unit", otp=totp_code(device)).status_code, 200)


@override_settings(OTP_REQUIRED=True)
class TwoFactorSessionTest(AccountsTestCase):
    def password_login(self, username, at="/admin/login/"):
        response = self.form_post(at, {"username": username, "password": World.PASSWORD}, REMOTE_ADDR="10.1.2.3")
        self.assertEqual(response.status_code, 302)

    def test_office_staff_reach_no_admin_page_nor_dashboard_with_a_password_alone(self):
        device = self.enrol("office")
        self.password_login("t_office")
        for path in ("/admin/", "/admin/mobilization/memberunit/", "/dashboard/", "/portal/"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302, path)
            self.assertEqual(response["Location"], f"/portal/otp/verify/?next={path.replace('/', '%2F')}")
        self.assertEqual(self.client.get("/api/v1/regions/").status_code, 403)

        response = self.form_post("/portal/otp/verify/", {"code": totp_code(device), "next": "/admin/"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/admin/")
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.assertEqual(self.client.get("/dashboard/").status_code, 200)

    def test_a_required_user_without_a_device_is_sent_to_enrol_and_enrols(self):
        user = self.world.users["director"]
        self.password_login("t_director")
        response = self.client.get("/portal/otp/verify/?next=/admin/")
        self.assertEqual(response["Location"], "/portal/otp/enrol/?next=/admin/")
        page = self.client.get("/portal/otp/enrol/?next=/admin/")
        self.assertContains(page, "<svg")
        self.assertNotContains(page, "https://")  # the QR code is drawn here, not fetched
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        self.assertEqual(page.context["secret"].replace(" ", ""), base64.b32encode(device.bin_key).decode())

        wrong = self.form_post("/portal/otp/enrol/", {"code": "12345", "next": "/admin/"})
        self.assertEqual(wrong.status_code, 200)
        self.assertFalse(TOTPDevice.objects.get(pk=device.pk).confirmed)
        confirmed = self.form_post("/portal/otp/enrol/", {"code": totp_code(device), "next": "/admin/"})
        self.assertEqual(len(confirmed.context["codes"]), 10)
        for code in confirmed.context["codes"]:
            self.assertContains(confirmed, code)
        self.assertTrue(TOTPDevice.objects.get(pk=device.pk).confirmed)
        self.assertEqual(StaticToken.objects.filter(device__user=user).count(), 10)
        self.assertEqual(self.events(AuditActionChoices.OTP_ENROLLED, user=user).count(), 1)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_a_password_alone_cannot_replace_the_enrolled_device(self):
        self.enrol("office")
        self.password_login("t_office")
        response = self.client.get("/portal/otp/enrol/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/portal/otp/verify/"))
        self.assertFalse(TOTPDevice.objects.filter(user=self.world.users["office"], confirmed=False).exists())

    def test_a_recovery_code_opens_the_admin_once(self):
        user = self.world.users["office"]
        device = services.otp_enrol_start(user=user)
        codes = services.otp_enrol_confirm(user=user, device=device, code=totp_code(device))
        self.password_login("t_office")
        self.assertEqual(self.form_post("/portal/otp/verify/", {"code": codes[3], "next": "/admin/"}).status_code, 302)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.client.logout()
        self.password_login("t_office")
        response = self.form_post("/portal/otp/verify/", {"code": codes[3], "next": "/admin/"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.get("/admin/").status_code, 302)

    def test_guessing_codes_on_the_verify_page_locks_the_account_out(self):
        device = self.enrol("office")
        self.password_login("t_office")
        wrong = "000000" if totp_code(device) != "000000" else "111111"
        answers = [self.form_post("/portal/otp/verify/", {"code": wrong}).status_code for _ in range(5)]
        self.assertEqual(answers, [200, 200, 200, 200, 429])
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(self.token("t_office", otp=totp_code(device), ip="10.7.7.7").status_code, 429)

    def test_a_liaison_without_a_device_logs_in_to_the_portal_with_a_password(self):
        response = self.form_post("/portal/login/", {"username": "t_unit", "password": World.PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/portal/").status_code, 200)


class TwoFactorResetTest(AccountsTestCase):
    def reset_through_admin(self, actor):
        device = self.enrol("office")
        StaticDevice.objects.create(user=device.user, name="r", confirmed=True)
        self.client.force_login(actor)
        return self.form_post(
            "/admin/otp_totp/totpdevice/",
            {"action": "reset_two_factor", "_selected_action": [device.pk]},
        )

    def test_the_security_administrator_resets_a_second_factor_and_it_is_audited(self):
        secadmin = user_assign_role(
            username="t_secadmin", role=RoleChoices.SECURITY_ADMIN, region=self.world.a.city, password=World.PASSWORD
        )
        secadmin.is_staff = True  # the roles change makes the role an admin role
        secadmin.save(update_fields=["is_staff"])
        response = self.reset_through_admin(secadmin)
        self.assertEqual(response.status_code, 302)
        office = self.world.users["office"]
        self.assertFalse(TOTPDevice.objects.filter(user=office).exists())
        self.assertFalse(StaticDevice.objects.filter(user=office).exists())
        event = self.events(AuditActionChoices.OTP_RESET).get()
        self.assertEqual((event.user, event.object_id, event.detail), (secadmin, str(office.pk), {"devices": 2}))

    def test_the_superuser_may_reset_too(self):
        self.assertEqual(self.reset_through_admin(self.world.superuser).status_code, 302)
        self.assertFalse(TOTPDevice.objects.filter(user=self.world.users["office"]).exists())

    def test_office_staff_may_not(self):
        response = self.reset_through_admin(self.world.users["city_office"])
        self.assertEqual(response.status_code, 403)
        self.assertTrue(TOTPDevice.objects.filter(user=self.world.users["office"]).exists())
        self.assertFalse(self.events(AuditActionChoices.OTP_RESET).exists())


class TokenLifetimeTest(AccountsTestCase):
    def issue(self, username="t_office"):
        response = self.token(username)
        self.assertEqual(response.status_code, 200)
        key = response.json()["token"]
        return key, ApiToken.objects.get(digest=hashlib.sha256(key.encode()).hexdigest())

    def test_only_a_digest_is_stored_and_each_login_gets_its_own_token(self):
        key1, token1 = self.issue()
        key2, token2 = self.issue()
        self.assertNotEqual(key1, key2)
        self.assertFalse(ApiToken.objects.filter(digest__in=[key1, key2]).exists())
        self.assertEqual(self.get_with_token(key1).status_code, 200)
        self.assertEqual(self.get_with_token(key2).status_code, 200)

    def test_expires_is_the_idle_limit_from_now(self):
        response = self.token("t_office")
        token = ApiToken.objects.get(user=self.world.users["office"])
        expires = timezone.datetime.fromisoformat(response.json()["expires"])
        self.assertEqual(expires, token.last_used + timedelta(minutes=30))
        self.assertEqual(token.expires, token.created + timedelta(hours=12))

    def test_delete_revokes_the_token_it_is_sent_with(self):
        key, token = self.issue()
        other_key, _other = self.issue()
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(self.client.delete(TOKEN_URL).status_code, 204)
        self.client.credentials()
        self.assertEqual(self.get_with_token(key).status_code, 401)
        self.assertEqual(self.get_with_token(other_key).status_code, 200)
        self.assertEqual(self.events(AuditActionChoices.TOKEN_REVOKED, username="t_office").count(), 1)

    def test_an_idle_token_expires(self):
        key, token = self.issue()
        ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now() - timedelta(minutes=31))
        self.assertEqual(self.get_with_token(key).status_code, 401)
        self.assertFalse(ApiToken.objects.filter(pk=token.pk).exists())

    def test_a_token_in_use_expires_after_the_absolute_time(self):
        key, token = self.issue()
        long_ago = timezone.now() - timedelta(hours=12, minutes=1)
        ApiToken.objects.filter(pk=token.pk).update(created=long_ago, expires=long_ago + timedelta(hours=12))
        self.assertEqual(self.get_with_token(key).status_code, 401)

    def test_last_used_is_written_at_most_once_a_minute(self):
        key, token = self.issue()
        recent = timezone.now() - timedelta(seconds=20)
        ApiToken.objects.filter(pk=token.pk).update(last_used=recent)
        self.assertEqual(self.get_with_token(key).status_code, 200)
        self.assertEqual(ApiToken.objects.get(pk=token.pk).last_used, recent)
        older = timezone.now() - timedelta(minutes=5)
        ApiToken.objects.filter(pk=token.pk).update(last_used=older)
        self.assertEqual(self.get_with_token(key).status_code, 200)
        self.assertGreater(ApiToken.objects.get(pk=token.pk).last_used, timezone.now() - timedelta(seconds=30))

    def test_the_security_administrator_revokes_a_token_from_the_admin(self):
        key, token = self.issue()
        self.client.force_login(self.world.superuser)
        listing = self.client.get("/admin/mobilization/apitoken/")
        self.assertContains(listing, "t_office")
        self.assertNotContains(listing, token.digest)
        response = self.form_post("/admin/mobilization/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        self.assertEqual(self.get_with_token(key).status_code, 401)
        self.client.force_login(self.world.users["city_office"])
        self.assertEqual(self.client.get("/admin/mobilization/apitoken/").status_code, 403)

    def test_a_password_change_ends_every_token_of_the_account(self):
        key1, _t1 = self.issue()
        key2, _t2 = self.issue()
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {key1}")
        response = self.client.post(PASSWORD_URL, {"old_password": World.PASSWORD, "new_password": "Fresh-pass-2027"})
        self.client.credentials()
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.get_with_token(key1).status_code, 401)
        self.assertEqual(self.get_with_token(key2).status_code, 401)

    def test_deactivation_ends_every_token(self):
        key, _token = self.issue()
        user = self.world.users["office"]
        user.is_active = False
        user.save()
        self.assertFalse(ApiToken.objects.filter(user=user).exists())
        self.assertEqual(self.get_with_token(key).status_code, 401)

    def test_a_lockout_of_the_account_ends_its_tokens(self):
        key, _token = self.issue()
        for _ in range(5):
            self.token("t_office", password="wrong", ip="10.66.0.1")
        self.assertEqual(self.get_with_token(key).status_code, 401)
        self.assertEqual(self.events(AuditActionChoices.LOCKOUT, username="t_office").count(), 1)

    def test_a_lockout_of_an_address_alone_leaves_the_accounts_tokens(self):
        key, _token = self.issue()
        for name in ("x1", "x2", "x3", "x4"):
            self.token(name, password="wrong", ip="10.66.0.2")
        self.token("t_office", password="wrong", ip="10.66.0.2")  # the 5th failure from there: the address locks
        self.assertEqual(self.token("t_unit", ip="10.66.0.2").status_code, 429)
        self.assertEqual(self.get_with_token(key).status_code, 200)


class LockoutTest(AccountsTestCase):
    def login(self, username, password=World.PASSWORD, ip="10.1.2.3"):
        return self.form_post("/portal/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)

    def test_a_locked_username_is_locked_from_every_address(self):
        for _ in range(5):
            self.login("t_office", "wrong-password")
        self.assertEqual(self.login("t_office").status_code, 429)
        self.assertEqual(self.login("t_office", ip="10.9.9.9").status_code, 429)
        self.assertEqual(self.token("t_office", ip="10.9.9.8").status_code, 429)

    def test_a_locked_address_is_locked_for_every_username(self):
        for name in ("a1", "a2", "a3", "a4", "a5"):  # password spraying: one try per name
            self.login(name, "wrong-password", ip="10.5.5.5")
        self.assertEqual(self.login("t_unit", ip="10.5.5.5").status_code, 429)
        # Each of those names failed once only: from elsewhere they are not locked.
        self.assertEqual(self.login("t_unit", ip="10.5.5.6").status_code, 302)

    def test_a_good_login_clears_its_own_failures_not_those_of_others_from_the_address(self):
        for _ in range(4):
            self.login("t_office", "wrong-password", ip="10.4.4.4")
        self.assertEqual(self.login("t_unit", ip="10.4.4.4").status_code, 302)
        self.client.logout()
        self.login("t_office", "wrong-password", ip="10.4.4.4")
        self.assertEqual(self.login("t_office", ip="10.4.4.9").status_code, 429)

    def test_the_page_and_the_api_state_the_time_left_from_the_setting(self):
        for _ in range(5):
            self.login("t_office", "wrong-password")
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10, seconds=30))
        page = self.login("t_office")
        self.assertEqual(page.status_code, 429)
        self.assertIn("20", page.context["message"])
        self.assertContains(page, "20", status_code=429)
        with override_settings(AXES_COOLOFF_TIME=timedelta(minutes=60)):
            answer = self.token("t_office")
        self.assertEqual(answer.status_code, 429)
        self.assertIn("50", answer.json()["detail"])
        self.assertNotIn("30", answer.json()["detail"])

    def unlock(self, actor, action, row):
        self.client.force_login(actor)
        return self.form_post("/admin/axes/accessattempt/", {"action": action, "_selected_action": [row.pk]})

    def test_the_security_administrator_unlocks_a_username_and_it_is_audited(self):
        for _ in range(5):
            self.login("t_office", "wrong-password")
        secadmin = user_assign_role(
            username="t_secadmin", role=RoleChoices.SECURITY_ADMIN, region=self.world.a.city, password=World.PASSWORD
        )
        secadmin.is_staff = True
        secadmin.save(update_fields=["is_staff"])
        self.login("t_unit", "wrong-password", ip="10.2.2.2")  # one failure: no lockout, not listed
        self.client.force_login(secadmin)
        listing = self.client.get("/admin/axes/accessattempt/")
        self.assertContains(listing, "t_office")
        self.assertNotContains(listing, "t_unit")
        ends = timezone.localtime(AccessAttempt.objects.get(username="t_office").attempt_time + timedelta(minutes=30))
        self.assertContains(listing, ends.strftime("%H:%M"))
        row = AccessAttempt.objects.get(username="t_office")
        self.assertEqual(self.unlock(secadmin, "unlock_usernames", row).status_code, 302)
        self.client.logout()
        self.assertEqual(self.login("t_office", ip="10.9.9.9").status_code, 302)
        event = self.events(AuditActionChoices.UNLOCK).get()
        self.assertEqual((event.user, event.detail), (secadmin, {"username": "t_office", "attempts": 1}))

    def test_the_superuser_unlocks_an_address(self):
        for name in ("b1", "b2", "b3", "b4", "b5"):
            self.login(name, "wrong-password", ip="10.3.3.3")
        row = AccessAttempt.objects.get(username="b5")
        self.assertEqual(self.unlock(self.world.superuser, "unlock_addresses", row).status_code, 302)
        self.client.logout()
        self.assertEqual(self.login("t_unit", ip="10.3.3.3").status_code, 302)
        self.assertEqual(self.events(AuditActionChoices.UNLOCK).get().detail, {"ip_address": "10.3.3.3", "attempts": 5})

    def test_office_staff_cannot_see_or_release_lockouts(self):
        for _ in range(5):
            self.login("t_office", "wrong-password")
        row = AccessAttempt.objects.get(username="t_office")
        self.assertEqual(self.unlock(self.world.users["city_office"], "unlock_usernames", row).status_code, 403)
        self.assertTrue(AccessAttempt.objects.filter(pk=row.pk).exists())


class PasswordTest(AccountsTestCase):
    def change(self, old, new, role="office"):
        self.client.force_authenticate(self.world.users[role])
        return self.client.post(PASSWORD_URL, {"old_password": old, "new_password": new})

    def test_the_api_changes_a_password_with_field_errors_for_bad_input(self):
        wrong = self.change("not-my-password", "Fresh-pass-2027")
        self.assertEqual((wrong.status_code, list(wrong.json())), (400, ["old_password"]))
        weak = self.change(World.PASSWORD, "short")
        self.assertEqual((weak.status_code, list(weak.json())), (400, ["new_password"]))
        missing = self.change(World.PASSWORD, "")
        self.assertEqual((missing.status_code, list(missing.json())), (400, ["new_password"]))
        user = self.world.users["office"]
        before = self.events(AuditActionChoices.PASSWORD_CHANGED, object_id=str(user.pk)).count()
        ok = self.change(World.PASSWORD, "Fresh-pass-2027")
        self.assertEqual(ok.status_code, 200)
        self.assertTrue(get_user_model().objects.get(pk=user.pk).check_password("Fresh-pass-2027"))
        self.assertEqual(self.events(AuditActionChoices.PASSWORD_CHANGED, object_id=str(user.pk)).count(), before + 1)

    def test_the_last_five_passwords_cannot_come_back(self):
        sequence = [World.PASSWORD] + [f"Next-pass-20{n}x" for n in range(5)]
        for old, new in zip(sequence, sequence[1:], strict=False):
            self.assertEqual(self.change(old, new).status_code, 200)
        current = sequence[-1]
        for reused in sequence[1:]:  # the current one and the four before it
            response = self.change(current, reused)
            self.assertEqual((response.status_code, list(response.json())), (400, ["new_password"]), reused)
        # Six back has left the history.
        self.assertEqual(self.change(current, sequence[0]).status_code, 200)
        self.assertEqual(PasswordRecord.objects.filter(user=self.world.users["office"]).count(), 5)

    def test_the_portal_page_changes_a_password_at_phone_size(self):
        self.client.force_login(self.world.users["inspector"])
        page = self.client.get("/portal/password/")
        self.assertContains(page, 'name="viewport"')
        response = self.form_post(
            "/portal/password/",
            {"old_password": World.PASSWORD, "new_password1": "Grid-walk-2027", "new_password2": "Grid-walk-2027"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(get_user_model().objects.get(username="t_inspector").check_password("Grid-walk-2027"))
        reuse = self.form_post(
            "/portal/password/",
            {"old_password": "Grid-walk-2027", "new_password1": World.PASSWORD, "new_password2": World.PASSWORD},
        )
        self.assertEqual(reuse.status_code, 200)
        self.assertIn("new_password2", reuse.context["form"].errors)

    def test_an_expired_password_forces_a_change_at_the_next_login(self):
        user = self.world.users["unit"]
        PasswordRecord.objects.filter(user=user).update(created=timezone.now() - timedelta(days=91))
        token = self.token("t_unit")
        self.assertEqual(token.status_code, 403)
        self.assertIn("detail", token.json())

        self.form_post("/portal/login/", {"username": "t_unit", "password": World.PASSWORD})
        response = self.client.get("/portal/")
        self.assertEqual(response["Location"], "/portal/password/?next=%2Fportal%2F")
        self.form_post(
            "/portal/password/",
            {"old_password": World.PASSWORD, "new_password1": "Renewed-2027x", "new_password2": "Renewed-2027x"},
        )
        self.assertEqual(self.client.get("/portal/").status_code, 200)
        self.assertEqual(self.token("t_unit", password="Renewed-2027x").status_code, 200)

    def test_the_admin_sends_an_expired_password_to_its_own_change_page(self):
        user = self.world.users["office"]
        PasswordRecord.objects.filter(user=user).update(created=timezone.now() - timedelta(days=91))
        self.form_post("/admin/login/", {"username": "t_office", "password": World.PASSWORD})
        response = self.client.get("/admin/")
        self.assertEqual(response["Location"], "/admin/password_change/?next=%2Fadmin%2F")
        self.assertEqual(self.client.get("/admin/password_change/").status_code, 200)


class ClientAddressTest(AccountsTestCase):
    def request(self, remote, forwarded=None):
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)

    def test_the_address_table(self):
        cases = [
            # (trusted proxies, peer, X-Forwarded-For, client)
            ([], "10.0.0.7", "6.6.6.6", "10.0.0.7"),
            (["10.0.0.1"], "10.0.0.7", "6.6.6.6", "10.0.0.7"),  # the peer is not our proxy
            (["10.0.0.1"], "10.0.0.1", "172.16.5.4", "172.16.5.4"),
            (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 172.16.5.4", "172.16.5.4"),  # the left part is the client's
            (["10.0.0.0/24"], "10.0.0.1", "172.16.5.4, 10.0.0.2", "172.16.5.4"),  # two of our proxies
            (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),
            (["10.0.0.1"], "10.0.0.1", "garbage", "10.0.0.1"),
        ]
        for proxies, peer, forwarded, expected in cases:
            with (
                self.subTest(proxies=proxies, peer=peer, forwarded=forwarded),
                override_settings(TRUSTED_PROXIES=proxies),
            ):
                self.assertEqual(client_ip(self.request(peer, forwarded)), expected)

    def failed_login(self, **meta):
        self.form_post("/portal/login/", {"username": "t_office", "password": "wrong"}, **meta)
        event = self.events(AuditActionChoices.LOGIN_FAILED, username="t_office").latest("created")
        attempt = AccessAttempt.objects.get(username="t_office")
        return event.ip_address, attempt.ip_address

    def test_forwarded_for_is_ignored_without_a_trusted_proxy(self):
        self.assertEqual(
            self.failed_login(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6"), ("10.0.0.9", "10.0.0.9")
        )

    @override_settings(TRUSTED_PROXIES=["10.0.0.1"])
    def test_forwarded_for_is_honoured_behind_the_trusted_proxy_for_audit_and_lockout_alike(self):
        self.assertEqual(
            self.failed_login(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 172.16.5.4"),
            ("172.16.5.4", "172.16.5.4"),
        )


class ProductionProfileTest(AccountsTestCase):
    def setting_in(self, env, expression, command=None):
        import os
        import subprocess
        import sys
        from pathlib import Path

        base = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
            "FIELD_ENCRYPTION_KEY": "another-long-production-key-for-fields",
            "DATABASE_URL": "sqlite:///:memory:",
        }
        base.pop("OTP_REQUIRED", None)
        result = subprocess.run(
            command
            or [sys.executable, "manage.py", "shell", "-c", f"from django.conf import settings; print({expression})"],
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            env={**base, **env},
        )
        return (result.stdout.strip() or result.stderr.strip()).splitlines()[-1]

    def test_two_factors_are_required_in_production_unless_turned_off(self):
        self.assertEqual(self.setting_in({}, "settings.OTP_REQUIRED"), "True")
        self.assertEqual(self.setting_in({"OTP_REQUIRED": "false"}, "settings.OTP_REQUIRED"), "False")

    def test_trusted_proxies_come_from_the_environment_and_a_typo_stops_the_start(self):
        proxies = self.setting_in({"TRUSTED_PROXIES": "10.0.0.1, 10.0.1.0/24"}, "settings.TRUSTED_PROXIES")
        self.assertEqual(proxies, "['10.0.0.1', '10.0.1.0/24']")
        import sys

        failure = self.setting_in({"TRUSTED_PROXIES": "10.0.0"}, None, command=[sys.executable, "manage.py", "check"])
        self.assertEqual(
            failure,
            "django.core.exceptions.ImproperlyConfigured: TRUSTED_PROXIES: '10.0.0' is not an address or network.",
        )
