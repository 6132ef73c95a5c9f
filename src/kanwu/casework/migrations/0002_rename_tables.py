from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("submissions", "0004_move_to_casework"),
    ]

    operations = [
        migrations.AlterModelTable(name=name, table=None)
        for name in ("replytemplate", "auditentry", "outgoingmail", "workflowsettings")
    ]
