"""Index Wagtail's page URL paths: HomePage.route finds articles by url_path in one query."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("kanwu_site", "0003_simplepage"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS kanwu_page_url_path ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS kanwu_page_url_path",
        )
    ]
