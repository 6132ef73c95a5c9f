from django.db import migrations

TEMPLATES = [
    (
        "稿件已收到，正在审阅",
        "submission",
        "关于您的投稿《{标题}》",
        "{姓名}，您好：\n\n您的投稿《{标题}》已收到，编辑正在审阅，有结果会尽快通知您。\n"
        "查询进度：{查询网址}\n\n{网站名称}编辑部",
    ),
    (
        "请补充材料",
        "all",
        "请补充材料（查询码 {查询码}）",
        "{姓名}，您好：\n\n为便于处理，请补充以下材料：\n\n\n查询进度：{查询网址}\n\n{网站名称}",
    ),
    (
        "投诉正在核实",
        "takedown",
        "关于您的侵权投诉",
        "{姓名}，您好：\n\n您对《{标题}》的投诉已收到，我们正在核实，核实后会尽快处理并通知您。\n"
        "查询进度：{查询网址}\n\n{网站名称}",
    ),
]


def create_templates(apps, schema_editor):
    ReplyTemplate = apps.get_model("submissions", "ReplyTemplate")
    for name, use, subject, body in TEMPLATES:
        ReplyTemplate.objects.get_or_create(
            name=name, defaults={"use": use, "subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("submissions", "0001_initial")]

    operations = [migrations.RunPython(create_templates, migrations.RunPython.noop)]
