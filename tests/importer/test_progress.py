"""An import's progress is written to its run in batches, the first and last report at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import User

from kanwu.importer.models import WordPressImport
from kanwu.importer.progress import Progress, ProgressRecorder

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def admin_user(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_superuser("admin", "a@example.cn", "pw-123456")


def test_progress_is_written_in_batches(admin_user: User) -> None:
    run = WordPressImport.objects.create(filename="x.xml", path="", created_by=admin_user)
    recorder = ProgressRecorder(run, every_items=3, every_seconds=10)

    def stored() -> tuple[int, int, int, list[str]]:
        row = WordPressImport.objects.get(pk=run.pk)
        return row.done, row.total, row.failed, row.errors

    with time_machine.travel(START, tick=False) as clock:
        recorder(Progress(done=0, total=7))
        assert stored() == (0, 7, 0, [])  # the first report, at once
        recorder(Progress(done=1, total=7, failed=1, errors=["坏了"]))
        recorder(Progress(done=2, total=7, failed=1, errors=["坏了"]))
        assert stored() == (0, 7, 0, [])
        recorder(Progress(done=3, total=7, failed=1, errors=["坏了"]))
        assert stored() == (3, 7, 1, ["坏了"])  # three items on
        recorder(Progress(done=4, total=7, failed=1, errors=["坏了"]))
        clock.shift(10)
        recorder(Progress(done=5, total=7, failed=1, errors=["坏了"]))
        assert stored()[0] == 5  # ten seconds on
        recorder(Progress(done=6, total=7, failed=1, errors=["坏了"]))
        assert stored()[0] == 5
        recorder.flush()  # the import stopped here
        assert stored()[0] == 6
        recorder(Progress(done=7, total=7, failed=2, errors=["坏了", "又坏了"]))
        assert stored() == (7, 7, 2, ["坏了", "又坏了"])  # the last report, at once
