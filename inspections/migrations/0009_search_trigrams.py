from django.db import migrations

from mobilization.migration_ops import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("inspections", "0008_report_region"), ("mobilization", "0019_trigram_extension")]

    operations = [
        trigram_indexes(
            ("inspections_facility", "name", "facility_name_trgm"),
            ("inspections_inspectionreport", "findings", "inspectionreport_findings_trgm"),
        )
    ]
