"""The fuzz run leaves nothing in the work tree (issue 24, item 7): what schemathesis and Hypothesis
would keep on disk goes under pytest's temporary directory, and schemathesis's cache is off."""

from __future__ import annotations

from pathlib import Path

import schemathesis.core.storage
from hypothesis.configuration import storage_directory

from tests.fuzz.test_schemathesis import Keys, _config


def test_the_fuzz_configuration_writes_nothing_in_the_work_tree(tmp_path: Path) -> None:
    config = _config(Keys(api="kr_api", reviewer="kr_reviewer"), tmp_path)
    assert config.cache.enabled is False
    assert config.cache.directory is not None
    assert config.cache.directory.is_relative_to(tmp_path)
    assert config.reports.directory.is_relative_to(tmp_path)


def test_during_a_fuzz_run_schemathesis_and_hypothesis_keep_their_files_under_its_temporary_directory(
    fuzz_storage: Path,
) -> None:
    root = schemathesis.core.storage.DEFAULT_ROOT
    assert root.is_relative_to(fuzz_storage), root
    assert storage_directory("constants", intent_to_write=False).path.is_relative_to(fuzz_storage)
