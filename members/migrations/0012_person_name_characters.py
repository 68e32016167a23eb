from django.db import migrations

from mobilization.migration_ops import character_indexes, trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("members", "0011_person_name_trigram")]

    # The API's `q` searches a person's specialty beside the name: without its own indexes the OR
    # made every search read all persons in scope.
    operations = [
        character_indexes(
            ("members_person", "name", "person_name_chars"),
            ("members_person", "specialty", "person_specialty_chars"),
        ),
        trigram_indexes(("members_person", "specialty", "person_specialty_trgm")),
    ]
