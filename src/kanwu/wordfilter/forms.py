"""The admin form for importing a word list from a text file."""

from __future__ import annotations

from django import forms

from kanwu.wordfilter.models import Action

MAX_FILE_BYTES = 5 * 1024 * 1024


class ImportWordsForm(forms.Form):
    file = forms.FileField(
        label="词表文件", help_text="UTF-8 编码的文本文件，每行一个词；以 # 开头的行会被忽略。"
    )
    action = forms.ChoiceField(label="处理方式", choices=Action.choices, initial=Action.HOLD)
    replace = forms.BooleanField(
        label="替换", required=False, help_text="删除该处理方式下文件中没有的词。"
    )

    def clean_file(self) -> list[str]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("文件太大了（最多 5 MB）。")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("文件不是 UTF-8 编码，请另存为 UTF-8 后再导入。") from error
        return text.splitlines()
