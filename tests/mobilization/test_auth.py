"""Authentication as MLPS 2.0 level 3 expects: lockout, audit of every login, idle timeout."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mobilization.models import AuditEvent
from tests.base import World, WorldTestCase


class LoginTest(WorldTestCase):
    def setUp(self):
        from axes.models import AccessAttempt

        AccessAttempt.objects.all().delete()

    def portal_login(self, username, password, ip="10.1.2.3"):
        return self.client.post(
            reverse("portal:login"), {"username": username, "password": password}, format="multipart", REMOTE_ADDR=ip
        )

    def test_success_is_recorded_with_time_user_address_and_outcome(self):
        started = timezone.now()
        response = self.portal_login("t_office", World.PASSWORD)
        self.assertEqual(response.status_code, 302)
        event = AuditEvent.objects.filter(action="login").latest("created")
        self.assertEqual((event.username, event.ip_address), ("t_office", "10.1.2.3"))
        self.assertEqual(event.user, self.world.users["office"])
        self.assertLessEqual(started, event.created)
        self.assertLessEqual(event.created, timezone.now())

    def test_failure_is_recorded(self):
        response = self.portal_login("t_office", "wrong-password")
        self.assertEqual(response.status_code, 200)
        event = AuditEvent.objects.filter(action="login_failed").latest("created")
        self.assertEqual((event.username, event.ip_address, event.user), ("t_office", "10.1.2.3", None))

    def test_five_failures_lock_the_username_from_every_address_and_the_address_for_every_username(self):
        for _ in range(5):
            self.portal_login("t_office", "wrong-password")
        locked = self.portal_login("t_office", World.PASSWORD)
        self.assertEqual(locked.status_code, 429)
        self.assertFalse(locked.wsgi_request.user.is_authenticated)
        self.assertEqual(self.portal_login("t_office", World.PASSWORD, ip="10.9.9.9").status_code, 429)
        self.assertEqual(self.portal_login("t_unit", World.PASSWORD).status_code, 429)
        self.assertEqual(self.portal_login("t_unit", World.PASSWORD, ip="10.9.9.9").status_code, 302)

    def test_lockout_lasts_thirty_minutes(self):
        self.assertEqual(settings.AXES_COOLOFF_TIME.total_seconds(), 30 * 60)
        self.assertEqual(settings.AXES_FAILURE_LIMIT, 5)

    def test_token_login_counts_toward_the_lockout(self):
        url = reverse("api:auth-token")
        for _ in range(5):
            self.client.post(url, {"username": "t_office", "password": "nope"}, REMOTE_ADDR="10.1.2.3")
        response = self.client.post(url, {"username": "t_office", "password": World.PASSWORD}, REMOTE_ADDR="10.1.2.3")
        self.assertEqual(response.status_code, 429)
        # An API client gets JSON saying why, in the user's language, not an HTML page.
        self.assertIn("30", response.json()["detail"])
        self.assertNotIn("t_office", response.json()["detail"])

    def test_token_login_answers_a_token_that_authenticates(self):
        response = self.client.post(reverse("api:auth-token"), {"username": "t_office", "password": World.PASSWORD})
        self.assertEqual(response.status_code, 200)
        token = response.json()["token"]
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        self.assertEqual(self.client.get(reverse("api:region-list")).status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(action="login", username="t_office").exists())

    def test_bad_token_login_says_why_in_json(self):
        response = self.client.post(reverse("api:auth-token"), {"username": "t_office", "password": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("detail", response.json())


class SessionTest(WorldTestCase):
    def test_session_expires_after_thirty_idle_minutes_and_is_renewed_by_activity(self):
        self.assertEqual(settings.SESSION_COOKIE_AGE, 30 * 60)
        self.login("office")
        response = self.client.get(reverse("portal:home"))
        self.assertEqual(response.status_code, 200)
        # Every request saves the session, so the 30 minutes run from the last request.
        self.assertTrue(settings.SESSION_SAVE_EVERY_REQUEST)
        stored = Session.objects.get(session_key=self.client.session.session_key)
        remaining = (stored.expire_date - timezone.now()).total_seconds()
        self.assertAlmostEqual(remaining, 30 * 60, delta=60)

    def test_expired_session_sends_the_user_to_login(self):
        self.login("office")
        session = self.client.session
        session.set_expiry(-1)
        session.save()
        response = self.client.get(reverse("portal:home"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("portal:login"), response["Location"])


class PasswordPolicyTest(WorldTestCase):
    def test_policy(self):
        for password, ok in [("Short1!", False), ("alllowercase", False), ("lower-and-1", True), ("Zibo2026x", True)]:
            with self.subTest(password=password):
                if ok:
                    validate_password(password)
                else:
                    with self.assertRaises(ValidationError):
                        validate_password(password)
