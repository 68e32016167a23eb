"""The roster export: what a user may see, as an .xlsx workbook, audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mobilization.choices import AuditActionChoices
from mobilization.services import audit_record

from .. import rosterfile
from ..masking import phone_for
from ..selectors import memberships_current_by_person, roster_export_persons

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from ..models import Person


EXPORT_HEADERS = [
    "姓名",
    "公民身份号码",
    "性别",
    "出生日期",
    "手机号码",
    "工作单位",
    "所在队伍",
    "队内职务",
    "入队日期",
    "专业特长",
    "身体状况",
    "政治面貌",
    "退役军人",
    "紧急联系人",
    "紧急联系人电话",
    "资格证书",
]


def roster_export_workbook(
    *, by: User, request: HttpRequest | None = None, queryset: QuerySet[Person] | None = None
) -> bytes:
    """The roster `by` may see as an .xlsx workbook (ID numbers masked, phones as their role
    allows), with one audit record for the export."""
    from openpyxl import Workbook

    persons = roster_export_persons(user=by, queryset=queryset)
    current = memberships_current_by_person(person_ids=persons.values("pk"))
    labels = rosterfile.LABELS
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(EXPORT_HEADERS)
    count = 0
    for p in persons.iterator(chunk_size=1000):
        m = current.get(p.pk)
        ws.append(
            [
                p.name,
                p.id_number_masked,
                "男" if p.sex == "M" else "女",
                p.birth_date,
                phone_for(by, p.phone),
                p.employer.name,
                m.team.name if m else "",
                labels["role"].get(m.role, m.role) if m else "",
                m.joined if m else None,
                p.specialty,
                labels["physical_condition"].get(p.physical_condition, ""),
                labels["political_status"].get(p.political_status, ""),
                "是" if p.veteran else "否",
                p.emergency_contact_name,
                phone_for(by, p.emergency_contact_phone),
                "；".join(f"{q.kind.name}（{q.expires or '长期'}）" for q in p.qualifications.all()),
            ]
        )
        count += 1
    audit_record(
        action=AuditActionChoices.EXPORT, request=request, user=by, detail={"model": "members.Person", "rows": count}
    )
    return rosterfile.workbook_bytes(wb)
