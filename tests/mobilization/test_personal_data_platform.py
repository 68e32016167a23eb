"""Platform rules of issue 10: phone masking decided per request (two changelists rendered at
once in threads each get their own answer), keys rotated in resumable batches, production
refusing to start on the public fallback secrets, demo passwords validated."""

import os
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.test import RequestFactory, TestCase, override_settings

from members.models import Person
from mobilization import crypto
from mobilization.fields import hashed_lookup
from mobilization.keyrotation import protected_models, rotate_field_key, rotate_model, rows_behind
from mobilization.masking import sees_phone
from mobilization.models import MemberUnitContact
from tests.base import WorldTestCase, make_id_number
from tests.factories import make_person

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13912345678"
# Every value of the test world is written under the settings' key, version 1; the rotation moves to version 2.
OLD_KEY = {"FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY, "FIELD_ENCRYPTION_KEY_VERSION": 1}
NEW_KEY = {
    "FIELD_ENCRYPTION_KEY": "new-secret-for-the-test",
    "FIELD_ENCRYPTION_KEY_VERSION": 2,
    "FIELD_ENCRYPTION_KEYRING": {"1": settings.FIELD_ENCRYPTION_KEY},
}


class AdminPerRequestTest(WorldTestCase):
    def test_two_changelists_rendered_at_once_each_get_their_own_answer(self):
        person = make_person(self.world.a.unit, phone=PHONE)
        admin = site._registry[Person]
        factory, results, barrier = RequestFactory(), {}, threading.Barrier(2)
        for role in ("office", "liaison"):
            sees_phone(self.world.users[role])  # the profile read here: the threads touch no database

        def render(role):
            request = factory.get("/admin/members/person/")
            request.user = self.world.users[role]
            # Both threads have built their list display before either renders a row.
            columns = admin.get_list_display(request)
            barrier.wait(timeout=10)
            results[role] = [c(person) if callable(c) else getattr(person, c) for c in columns]

        threads = [threading.Thread(target=render, args=(role,)) for role in ("office", "liaison")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertIn(PHONE, results["office"])
        self.assertIn("139****5678", results["liaison"])
        self.assertNotIn(PHONE, results["liaison"])
        self.assertFalse([k for k in vars(admin) if k.startswith("_sees")], "no decision kept on the ModelAdmin")


class CryptoTest(TestCase):
    def test_sm4_ciphertexts_carry_their_key_version_and_open_only_with_their_key(self):
        with override_settings(**OLD_KEY):
            token = crypto.encrypt(PHONE)
            self.assertTrue(token.startswith("v1:"))
            self.assertNotEqual(token, crypto.encrypt(PHONE), "a fresh nonce each time")
            digest = crypto.keyed_hash(PHONE)
        self.assertEqual(len(digest), 64)
        with override_settings(FIELD_ENCRYPTION_KEY="another", FIELD_ENCRYPTION_KEY_VERSION=1):
            with self.assertRaises(crypto.DecryptionError):
                crypto.decrypt(token)
            self.assertNotEqual(crypto.keyed_hash(PHONE), digest)
        with override_settings(**NEW_KEY):
            self.assertEqual(crypto.decrypt(token), PHONE, "an older version stays readable from the keyring")
            self.assertTrue(crypto.encrypt(PHONE).startswith("v2:"))
            self.assertEqual(crypto.keyed_hashes(PHONE)[1], digest)


class Interrupted(Exception):
    pass


def interrupt(model, done):
    raise Interrupted


class RotationTest(WorldTestCase):
    def test_rotation_moves_every_value_in_resumable_batches_while_lookups_keep_working(self):
        with override_settings(**OLD_KEY):
            number = make_id_number(31)
            for i in range(4):
                make_person(self.world.a.unit, phone=f"1390000000{i}")
            person = make_person(self.world.a.unit, id_number=number, phone=PHONE)
            MemberUnitContact.objects.create(unit=self.world.a.unit, name="王五", phone=PHONE)
            persons = Person.objects.count()
        with override_settings(**NEW_KEY):
            self.assertEqual(rows_behind(Person), persons)
            with self.assertRaises(Interrupted):  # stopped after its first batch, which is committed
                rotate_model(Person, batch_size=2, progress=interrupt)
            self.assertEqual(rows_behind(Person), persons - 2)
            # Half-way, the system serves: every value reads and is found, whichever key holds it.
            self.assertEqual(Person.objects.by_id_number(number).get(), person)
            self.assertEqual(Person.objects.filter(**hashed_lookup("phone", PHONE)).get(), person)
            self.assertEqual({p.phone for p in Person.objects.all()} >= {PHONE, "13900000000"}, True)
            reports = rotate_field_key(batch_size=2)  # resumed: picks up the rows still on version 1
            self.assertEqual({r.model: r.rows for r in reports}["members.Person"], persons - 2)
            self.assertEqual(sum(rows_behind(m) for m in protected_models()), 0)
            self.assertEqual(sum(r.rows for r in rotate_field_key()), 0, "a finished rotation finds nothing to do")
        new_only = {**NEW_KEY, "FIELD_ENCRYPTION_KEYRING": {}}
        with override_settings(**new_only):
            person.refresh_from_db()
            self.assertEqual(person.phone, PHONE)
            self.assertEqual(crypto.decrypt(person.id_number_encrypted), number)
            self.assertTrue(person.id_number_encrypted.startswith("v2:"))
            self.assertEqual(Person.objects.by_id_number(number).get(), person)
            self.assertEqual(MemberUnitContact.objects.filter(**hashed_lookup("phone", PHONE)).count(), 1)
            self.assertEqual(Person.history.filter(id_number_encrypted__startswith="v1:").count(), 0)


class ProductionGuardTest(TestCase):
    def start(self, **env):
        clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DEBUG")}
        clean.pop("TESTING", None)
        return subprocess.run(
            [sys.executable, "manage.py", "check"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
        )

    def test_serving_a_real_host_without_both_secrets_refuses_to_start(self):
        for env in (
            {"ALLOWED_HOSTS": "mobilization.example.org"},
            {"ALLOWED_HOSTS": "mobilization.example.org", "SECRET_KEY": "s" * 50},
            {"ALLOWED_HOSTS": "*", "FIELD_ENCRYPTION_KEY": "k" * 40},
        ):
            with self.subTest(env=env):
                result = self.start(DEBUG="false", **env)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("Refusing to serve", result.stderr)
        self.assertIn("SECRET_KEY and FIELD_ENCRYPTION_KEY", self.start(DEBUG="false", ALLOWED_HOSTS="a.org").stderr)

    def test_localhost_and_a_fully_configured_host_start(self):
        self.assertEqual(self.start(DEBUG="false").returncode, 0)
        ok = self.start(
            DEBUG="false", ALLOWED_HOSTS="mobilization.example.org", SECRET_KEY="s" * 50, FIELD_ENCRYPTION_KEY="k" * 40
        )
        self.assertEqual(ok.returncode, 0, ok.stderr)

    def test_seed_demo_refuses_a_weak_password(self):
        with self.assertRaises(CommandError) as ctx:
            call_command("seed_demo", password="1")
        self.assertIn("--password", str(ctx.exception))
