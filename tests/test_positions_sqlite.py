"""The demo runs on SQLite (issue 13): applying a position import there writes the positions'
audit trail, as on PostgreSQL, instead of answering 500 («no such function: ANY»)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_applying_an_import_on_the_demo_sqlite_writes_the_history_rows(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "alis.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "CELERY_BROKER_URL": "",
    }
    result = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "tests" / "sqlite_positions_import.py")],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["vendor"] == "sqlite"
    # The table makes 5 new positions and fills the planned Bodø one: 5 «created» rows and one
    # «changed» row, each by the coordinator, with the status the position now has.
    assert outcome["positions"] == 6
    history = outcome["history"]
    assert sorted(kind for _id, kind, _by, _status in history) == ["+"] * 5 + ["~"]
    assert all(by for _id, _kind, by, _status in history)
    assert [status for pk, kind, _by, status in history if kind == "~"] == ["besatt"]
    assert [pk for pk, kind, _by, _status in history if kind == "~"] == [outcome["planned"]]
    # 6 real ids among 1 506, in chunks: one row each.
    assert outcome["chunked"] == 6
