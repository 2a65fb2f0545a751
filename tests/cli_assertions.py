"""Assertions about how the `kb` command reports errors, shared by the CLI tests."""

from __future__ import annotations


def assert_one_line_error(result, *fragments: str) -> None:
    """Exit status 2, nothing on standard output, one ``kb: error:`` line holding each fragment, no traceback.

    ``result`` is click's test runner result or a finished ``subprocess.run``.
    """
    status = result.exit_code if hasattr(result, "exit_code") else result.returncode
    assert status == 2, (status, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kb: error: ")
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in lines[0]
