"""Measure a 10,000-row roster import end to end — read the .xlsx, validate it whole, save the pending
request, approve and apply it — against a floor measured in the same run: a bare bulk insert of
the same persons and memberships (values already encrypted, no validation, no history).

Everything happens inside one transaction that is rolled back, so the database is left as it
was. Prints seconds and the ratio; asserts nothing (timings belong to the machine)."""

import io
import time
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from openpyxl import Workbook

from members import rosterfile
from members.masking import mask_id_number
from members.models import Membership, Person
from members.services import roster_change_approve, roster_change_import
from mobilization.choices import RegionLevelChoices, RoleChoices, SectorChoices, UnitKindChoices
from mobilization.crypto import encrypt, keyed_hash
from mobilization.models import MemberUnit, Region
from mobilization.services import user_assign_role
from mobilization.validators import credit_code_check_character, id_number_birth_date, id_number_check_digit
from teams.choices import TeamLevelChoices
from teams.models import Team, TeamType

BENCH_REGION = "370399000000"  # a county code no real region of the demo uses


class _Rollback(Exception):
    pass


def _id_numbers(count):
    """`count` distinct valid ID numbers (1,000 serials per birth date)."""
    out = []
    for i in range(count):
        birth = date.fromordinal(date(1970, 1, 1).toordinal() + i // 1000)
        body = f"370399{birth:%Y%m%d}{i % 1000:03d}"
        out.append(body + id_number_check_digit(body))
    return out


class Command(BaseCommand):
    help = "Time validating and applying a 10,000-row roster file against a bare bulk insert of the same rows."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--teams", type=int, default=100)

    def handle(self, *args, rows, teams, **options):
        try:
            with transaction.atomic():
                self.run(rows, teams)
                raise _Rollback
        except _Rollback:
            pass

    def setup(self, teams):
        city = Region.objects.get_or_create(
            code="370300000000", defaults={"name": "淄博市", "level": RegionLevelChoices.CITY}
        )[0]
        county = Region.objects.get_or_create(
            code=BENCH_REGION, defaults={"name": "基准测试区", "level": RegionLevelChoices.COUNTY, "parent": city}
        )[0]
        body = "91370399999999001"
        unit = MemberUnit.objects.create(
            name="基准测试单位",
            credit_code=body + credit_code_check_character(body),
            kind=UnitKindChoices.GOVERNMENT,
            sector=SectorChoices.EMERGENCY,
            region=county,
        )
        liaison = user_assign_role(
            username="bench_liaison", role=RoleChoices.UNIT_LIAISON, region=county, member_unit=unit, password=None
        )
        office = user_assign_role(username="bench_office", role=RoleChoices.OFFICE_STAFF, region=county, password=None)
        team_type = TeamType.objects.get(code="fire_rescue")
        team_list = Team.objects.bulk_create(
            Team(
                name=f"基准测试队{k:03d}",
                team_type=team_type,
                level=TeamLevelChoices.COUNTY,
                region=county,
                unit=unit,
                authorised_strength=200,
            )
            for k in range(teams)
        )
        return unit, liaison, office, team_list

    def run(self, rows, teams):
        unit, liaison, office, team_list = self.setup(teams)
        numbers = _id_numbers(rows)
        names = [f"测试{i:05d}" for i in range(rows)]

        started = time.perf_counter()
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("花名册变更")
        ws.append([header for _key, header in rosterfile.COLUMNS])
        for i, number in enumerate(numbers):
            team = team_list[i % len(team_list)]
            ws.append(["新增", team.name, names[i], number, f"139{i:08d}", "", "队员", "2026-01-05"])
        content = rosterfile.workbook_bytes(wb)
        build = time.perf_counter() - started

        # The floor: the same persons and memberships, bulk inserted with nothing checked.
        sid = transaction.savepoint()
        started = time.perf_counter()
        persons = Person.objects.bulk_create(
            [
                Person(
                    name=names[i],
                    id_number_encrypted=encrypt(number),
                    id_number_hash=keyed_hash(number),
                    id_number_masked=mask_id_number(number),
                    birth_date=id_number_birth_date(number),
                    sex="M" if int(number[16]) % 2 else "F",
                    phone=f"139{i:08d}",
                    employer=unit,
                )
                for i, number in enumerate(numbers)
            ],
            batch_size=2000,
        )
        if persons[0].pk is None:  # backends that do not return ids from a bulk insert
            persons = list(Person.objects.filter(employer=unit).order_by("pk"))
        Membership.objects.bulk_create(
            [
                Membership(person=p, team=team_list[i % len(team_list)], joined=date(2026, 1, 5))
                for i, p in enumerate(persons)
            ],
            batch_size=2000,
        )
        floor = time.perf_counter() - started
        transaction.savepoint_rollback(sid)

        started = time.perf_counter()
        change = roster_change_import(
            by=liaison, upload=SimpleUploadedFile("bench.xlsx", content), today=date(2026, 1, 5)
        )
        validated = time.perf_counter() - started
        started = time.perf_counter()
        roster_change_approve(change=change, by=office)
        applied = time.perf_counter() - started
        assert Membership.objects.filter(team__in=team_list, left__isnull=True).count() == rows

        total = validated + applied
        out = io.StringIO()
        out.write(f"roster import of {rows} rows into {teams} teams on {connection.vendor}\n")
        out.write(f"build the .xlsx (not timed below):        {build:7.2f} s ({len(content) // 1024} KiB)\n")
        out.write(f"floor: bare bulk insert of the same rows: {floor:7.2f} s\n")
        out.write(f"read + validate + save pending request:   {validated:7.2f} s\n")
        out.write(f"approve and apply (one transaction):      {applied:7.2f} s\n")
        out.write(f"total {total:.2f} s = {total / floor:.1f}x the floor\n")
        self.stdout.write(out.getvalue())
