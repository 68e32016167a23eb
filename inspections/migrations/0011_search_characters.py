from django.db import migrations

from mobilization.migration_ops import character_indexes


class Migration(migrations.Migration):
    dependencies = [("inspections", "0010_media_kind_document")]

    operations = [
        character_indexes(
            ("inspections_facility", "name", "facility_name_chars"),
            ("inspections_inspectionreport", "findings", "inspectionreport_findings_chars"),
        )
    ]
