"""``load_all_tables`` knows every table a module declares: migrations and the test database's clean-up
read the metadata it fills, in a process that may have imported nothing else."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kycrail"


def test_every_declared_table_is_loaded_in_a_fresh_process() -> None:
    declared = {
        name
        for path in SRC.rglob("tables.py")
        for name in re.findall(r'Table\(\s*"([a-z_]+)"', path.read_text())
    }
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kycrail.tables import load_all_tables; from kycrail.db import metadata; "
            "load_all_tables(); print(' '.join(sorted(metadata.tables)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert declared
    assert set(loaded) == declared
