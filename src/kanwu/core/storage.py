"""Static files storage: WhiteNoise's compressed, hashed files, with their URLs remembered."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage

MAX_REMEMBERED = 1000


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Every page asks for the same few asset URLs; the manifest is read once per process
    (collectstatic runs before the server starts), so each URL is worked out once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return str(super().url(name, force))
        found = self._urls.get(name)
        if found is None:
            found = str(super().url(name))
            if len(self._urls) < MAX_REMEMBERED:  # templates name a few; never grow unbounded
                self._urls[name] = found
        return found
