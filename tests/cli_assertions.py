"""Assertions about how the `kb` command reports errors, shared by the CLI tests."""

from __future__ import annotations


def assert_one_line_error(result, *fragments: str) -> None:
    """Exit status 2, nothing on standard output, one ``kb: error:`` line holding each fragment, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kb: error: ")
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]
