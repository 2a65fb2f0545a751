"""The README is an interface too: its commands must exist and its test command must be CI's."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from kb.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.DOTALL)


def test_quick_start_is_two_commands_serve_and_test():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line for block in re.findall(r"```sh\n(.*?)```", quick, re.DOTALL) for line in block.splitlines()]
    assert len(commands) == 2
    assert commands[0].endswith("kb serve")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme_test = next(line for block in _shell_blocks() for line in block.splitlines() if "pytest" in line)
    ci_lines = [line.strip() for line in ci.splitlines()]
    assert readme_test.strip() in ci_lines


def test_every_documented_kb_command_exists():
    documented = {m for block in _shell_blocks() for m in re.findall(r"^kb (\w+)", block, re.MULTILINE)}
    assert documented >= {"notices", "search", "show", "sections", "index", "serve", "clean", "outline"}
    runner = CliRunner()
    for name in documented:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)


def test_documented_options_exist():
    runner = CliRunner()
    help_text = runner.invoke(cli, ["--help"]).output
    assert "--index" in help_text and "--corpus" in help_text
    search_help = runner.invoke(cli, ["search", "--help"]).output
    for option in (
        "--limit",
        "--offset",
        "--translation",
        "--json",
        "--notice",
        "--issuer",
        "--year",
        "--type",
        "--sort",
    ):
        assert option in search_help
    notices_help = runner.invoke(cli, ["notices", "--help"]).output
    for option in ("--issuer", "--year", "--type", "--limit", "--offset", "--json"):
        assert option in notices_help
    for command in ("show", "sections", "index", "outline"):
        assert "--json" in runner.invoke(cli, [command, "--help"]).output, command
