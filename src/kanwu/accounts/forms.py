"""Forms of the two-factor pages."""

from __future__ import annotations

from django import forms

CODE_LENGTH = 6


class TokenForm(forms.Form):
    """A code from an authenticator app: 6 ASCII digits (spaces allowed between)."""

    token = forms.CharField(
        label="验证码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": "请输入验证码。", "max_length": "验证码是 6 位数字。"},
    )

    def clean_token(self) -> str:
        token = "".join(str(self.cleaned_data["token"]).split())
        if len(token) != CODE_LENGTH or not (token.isascii() and token.isdigit()):
            raise forms.ValidationError("验证码是 6 位数字。")
        return token
