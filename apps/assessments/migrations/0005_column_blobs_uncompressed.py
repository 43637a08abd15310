"""Column blobs stored as they are (no TOAST compression): reading a 1,000,000-row column of
loan ids cost more in pglz decompression than in transfer; numbers barely compress anyway.
Rows written before keep their compressed form (they read the same)."""

from django.db import migrations

TABLES = ("assessments_datasetcolumn", "assessments_runcolumn")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_reserve_fund_run_restarts")]

    operations = [
        migrations.RunSQL(
            sql=[f"ALTER TABLE {t} ALTER COLUMN data SET STORAGE EXTERNAL" for t in TABLES],
            reverse_sql=[f"ALTER TABLE {t} ALTER COLUMN data SET STORAGE EXTENDED" for t in TABLES],
        )
    ]
