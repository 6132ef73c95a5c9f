"""Progress for the commands: one line rewritten in place, only on a terminal."""

from __future__ import annotations

from typing import Any


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover


class TerminalProgress:
    """progress(stage, done, total) for a service, drawn on `out` when it is a terminal."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.enabled = bool(getattr(out, "isatty", lambda: False)())
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if total:
            text = f"{stage} {done}/{total}"
        elif done:
            text = f"{stage} {done}"
        else:
            text = f"{stage}…"
        self.out.write(f"\r\x1b[K{text}", ending="")
        self.out.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.out.write("\r\x1b[K", ending="")
            self.out.flush()
            self.shown = False
