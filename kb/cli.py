"""The ``kb`` command: a thin layer over the library, one command per library call.

Exit status: 0 success (or results found), 1 a search with no results, 2 an
error, reported as one line on standard error. Heavy modules are imported
inside the commands that need them, so that ``kb search`` starts fast.
"""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path

import click

from kb import settings


class KbError(click.ClickException):
    """An error for a person: one line, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"kb: error: {self.format_message()}", err=True)


def friendly_errors(fn):
    """Turn the library's errors into one-line messages (never a traceback)."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        from kb.errors import KnowledgeBaseError

        try:
            return fn(*args, **kwargs)
        except KnowledgeBaseError as e:
            raise KbError(str(e)) from None
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except OSError as e:
            raise KbError(f"{getattr(e, 'filename', '') or ''} {e.strerror or e}".strip()) from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index directory [env KB_INDEX; default: ~/.local/share/policy-kb/index].",
)
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory of source notices [env KB_CORPUS; default: the project's seeds/].",
)
@click.version_option(package_name="policy-kb")
@click.pass_context
def cli(ctx: click.Context, index_dir: Path | None, corpus_dir: Path | None) -> None:
    """Search and read Chinese government policy notices in English translation."""
    ctx.obj = {
        "index": index_dir or settings.default_index(),
        "corpus": corpus_dir or settings.default_corpus(),
    }


def _read_input(file: str) -> tuple[str, str]:
    from kb.corpus import SourceError, decode_source, read_source

    if file == "-":
        try:
            return decode_source(sys.stdin.buffer.read(), "<stdin>"), "<stdin>"
        except SourceError as e:
            raise KbError(str(e)) from None
    try:
        return read_source(Path(file)), file
    except SourceError as e:
        raise KbError(str(e)) from None


@cli.command()
@click.argument("file", default="-")
@friendly_errors
def clean(file: str) -> None:
    """Print FILE (or standard input) with the inserted noise removed."""
    from kb.clean import clean as clean_text

    text, _ = _read_input(file)
    click.echo(clean_text(text))


@cli.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@friendly_errors
def outline(file: str, as_json: bool) -> None:
    """Print the sections and metadata of FILE (cleaned first, as by `kb clean`)."""
    from kb.corpus import SourceError, apply_manifest, outline_text, read_manifest

    text, name = _read_input(file)
    try:
        result = outline_text(text, name)
    except SourceError as e:
        raise KbError(str(e)) from None
    if file != "-":
        path = Path(file)
        result = apply_manifest(result, read_manifest(path.parent).get(path.name))
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    m = result.metadata
    click.echo(m.title or "(untitled)")
    for label, value in (("Number", m.number), ("Source", m.source), ("Date", m.date)):
        if value:
            click.echo(f"{label}: {value}")
    if m.issuers:
        click.echo(f"Issued by: {'; '.join(m.issuers)}")
    click.echo()
    for s in result.sections:
        indent = "    " if s.parent else ""
        click.echo(f"{indent}{s.id:<5} {s.title or '(no title in this translation)'}")


def main() -> None:
    cli(prog_name="kb")


if __name__ == "__main__":
    main()
