"""The ``kb`` command: a thin layer over the library, one command per library call.

Exit status: 0 success (or results found), 1 a search with no results, 2 an
error, reported as one line on standard error. Heavy modules are imported
inside the commands that need them, so that ``kb search`` starts fast.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

import click

from kb import settings

#: Longest error line printed (a few terminal lines); longer ones keep their start and end.
MAX_MESSAGE = 400


class KbError(click.ClickException):
    """An error for a person: one line, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        # one line, even for a message that is not (an unexpected error's text may span several), and one a
        # person can read: a value echoed back (a 5,000-digit --limit) is shortened in the middle
        message = " ".join(self.format_message().splitlines())
        if len(message) > MAX_MESSAGE:
            half = MAX_MESSAGE // 2
            message = f"{message[:half]}…{message[-half:]}"
        click.echo(f"kb: error: {message}", err=True)


def friendly_errors(fn):
    """The CLI's edge: every error becomes one line on standard error and exit status 2 (never a traceback).

    The library's error kinds carry their own message; an OS error names its
    path; anything else is a bug, still reported in one line, and never
    confused with exit status 1 ("no results").
    """

    @wraps(fn)
    def wrapper(*args, **kwargs):
        from kb.errors import KnowledgeBaseError

        try:
            return fn(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KnowledgeBaseError as e:
            raise KbError(str(e)) from None
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            raise interrupted() from None
        except OSError as e:
            raise KbError(os_error_message(e)) from None
        except Exception as e:  # noqa: BLE001 - the edge: a bug still gets one line and status 2
            raise internal_error(e) from None

    return wrapper


def interrupted() -> KbError:
    """How an interrupt (Ctrl+C) is reported, inside a command or before one runs."""
    return KbError("interrupted")


def internal_error(e: Exception) -> KbError:
    """A bug, reported as every other error is: one line, status 2 (never taken for "no results")."""
    return KbError(f"internal error ({type(e).__name__}: {e})")


def os_error_message(e: OSError) -> str:
    """``path: reason`` for an OS error (a full disk says which disk)."""
    where = e.filename or ""
    return f"{where}: {e.strerror or e}" if where else str(e.strerror or e)


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


@contextmanager
def _build_progress():
    """A progress callback for index builds: a bar on a terminal (drawn only if a build runs), else none."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: list = []

    def update(done: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label="Indexing", file=sys.stderr))
        bars[0].update(done - bars[0].pos)

    try:
        yield update
    finally:
        if bars:
            bars[0].render_finish()


def _knowledge_base(ctx: click.Context):
    """The knowledge base, building the index first if there is none."""
    from kb import index
    from kb.search import open_kb

    with _build_progress() as update:
        index.ensure(ctx.obj["corpus"], ctx.obj["index"], progress=update)
    return open_kb(ctx.obj["index"])


def _warn_if_repaired(result) -> None:
    if result.repaired:
        click.echo(
            f"kb: warning: rebuilt the index; the previous build could not be used ({result.repaired})", err=True
        )


@cli.command("index")
@click.option("--force", is_flag=True, help="Rebuild even if the sources have not changed.")
@click.pass_context
@friendly_errors
def index_cmd(ctx: click.Context, force: bool) -> None:
    """Build the search index from the corpus (skipped when nothing changed)."""
    from kb import index

    with _build_progress() as update:
        result = index.build(ctx.obj["corpus"], ctx.obj["index"], force=force, progress=update)
    for problem in result.skipped_files:
        click.echo(f"kb: warning: skipped {problem}", err=True)
    _warn_if_repaired(result)
    if result.built:
        click.echo(f"Indexed {result.chunks} sections into {result.path}")
    else:
        click.echo(f"Index is up to date ({result.path}); use --force to rebuild")


@cli.command()
@click.argument("query")
@click.option("--limit", "-n", type=int, default=10, show_default=True, help="Results per page (1-100).")
@click.option("--offset", type=int, default=0, show_default=True, help="Skip this many results.")
@click.option("--translation", "-t", default=None, help="Only this translation (see `kb sections`).")
@click.option("--separate", is_flag=True, help="List each translation of a section separately.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
@friendly_errors
def search(
    ctx: click.Context, query: str, limit: int, offset: int, translation: str | None, separate: bool, as_json: bool
) -> None:
    """Search the notices. QUERY takes words, "phrases", AND/OR/NOT, field:value, prefix*, fuzzy~.

    Fields: section:6.1, translation:full, title:security. A citation such as
    "6 (1)" or "VI (1)" puts that section first. Exit status 1 when nothing matches.
    """
    kb = _knowledge_base(ctx)
    result = kb.search(query, limit=limit, offset=offset, translation=translation, group=not separate)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_results(result)
    ctx.exit(0 if result.hits else 1)


def _print_results(result) -> None:
    color = sys.stdout.isatty()
    if result.fallback:
        click.echo("(query syntax not understood; searched for its words)", err=True)
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}", err=True)
    for warning in result.warnings:
        click.echo(f"({warning})", err=True)
    if not result.hits:
        click.echo("No results." if result.total == 0 else "No more results.", err=True)
        return
    shown = f"{result.offset + 1}-{result.offset + len(result.hits)}"
    click.echo(f"{result.total} result{'s' if result.total != 1 else ''} (showing {shown})\n")
    for rank, hit in enumerate(result.hits, result.offset + 1):
        title = hit.title or "(untitled)"
        heading = f"{rank}. [{hit.section}] {title}"
        click.echo(click.style(heading, bold=True) if color else heading)
        where = f"   {hit.translation}"
        if hit.also_in:
            where += f" (also in: {', '.join(hit.also_in)})"
        if hit.parent_title:
            where += f" · {hit.section.split('.')[0]}. {hit.parent_title}"
        click.echo(where)
        snippet = hit.snippet.marked("\x1b[1;33m", "\x1b[0m") if color else hit.snippet.plain
        click.echo(f"   {snippet}")
        click.echo(f"   {hit.link}\n")


@cli.command()
@click.argument("section")
@click.option("--translation", "-t", default=None, help="Which translation (default: every one that has it).")
@click.pass_context
@friendly_errors
def show(ctx: click.Context, section: str, translation: str | None) -> None:
    """Print the clean text of SECTION (e.g. 6.1, "6 (1)", front)."""
    from kb.errors import KnowledgeBaseError
    from kb.models import FRONT, display_id
    from kb.query import citation

    kb = _knowledge_base(ctx)
    section_id = FRONT if section.strip().lower() in (FRONT, "front matter") else citation(section)
    if section_id is None:
        raise KnowledgeBaseError(f"not a section: {section!r} (try 6.1, '6 (1)' or front)")
    names = [translation] if translation else [t.name for n in kb.notices for t in n.translations]
    printed = 0
    for name in names:
        notice, _ = kb.translation(name)
        s = kb.section(name, section_id)
        if s is None:
            continue
        if printed:
            click.echo()
        label = f"{display_id(s.id)} {s.title or ''}".strip()
        click.echo(f"{notice.number or notice.title}, section {label} [{name}]")
        click.echo(s.body or "(no text of its own in this translation)")
        printed += 1
    if not printed:
        raise KnowledgeBaseError(
            f"section {section_id} is not in {'translation ' + translation if translation else 'any translation'}"
        )


@cli.command()
@click.pass_context
@friendly_errors
def sections(ctx: click.Context) -> None:
    """Table of contents of every notice, with the sections each translation lacks."""
    kb = _knowledge_base(ctx)
    for notice in kb.notices:
        click.echo(notice.title)
        click.echo(" · ".join(filter(None, [notice.number, notice.date])))
        names = [t.name for t in notice.translations]
        click.echo()
        click.echo(f"{'':6} {'':60} " + " ".join(f"{n:>6}" for n in names))
        # looked up once, not per row: per-row lookups were quadratic (20,000 subsections: 20 s)
        have = [set(t.section_ids) for t in notice.translations]
        titles = notice.section_titles
        for sid in notice.section_ids:
            title = titles.get(sid) or ("Front matter" if sid == "front" else "")
            indent = "  " if "." in sid else ""
            marks = " ".join(f"{'✓' if sid in ids else '—':>6}" for ids in have)
            click.echo(f"{indent + sid:<6} {title[:60]:<60} {marks}")
        click.echo()
        gone = notice.missing_everywhere()
        if gone:
            click.echo(f"Missing from every translation: {', '.join(gone)}")
        gone_set = set(gone)  # a set: membership in the list was quadratic in the missing sections
        for t in notice.translations:
            lacking = [i for i in notice.missing(t.name) if i not in gone_set]
            if lacking:
                click.echo(f"Missing from {t.name}: {', '.join(lacking)}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Public address of the site, used in citations and OpenSearch links, e.g. https://kb.example.org "
    "[env KB_BASE_URL; default: the request's host].",
)
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str, port: int, threads: int, base_url: str | None) -> None:
    """Serve the web site (building the index first if needed) with waitress.

    A corpus that cannot be indexed (a broken manifest, a missing directory)
    does not stop the site when a good index already exists: it is served
    as it is, with a warning.
    """
    # checked before anything slow, so that a typo fails at once
    base_url = settings.check_base_url(base_url) if base_url is not None else settings.default_base_url()
    from kb import index
    from kb.errors import KnowledgeBaseError
    from kb.search import open_kb

    try:
        with _build_progress() as update:
            result = index.build(ctx.obj["corpus"], ctx.obj["index"], progress=update)
        _warn_if_repaired(result)
    except KnowledgeBaseError as e:
        open_kb(ctx.obj["index"])  # no usable index either: that error is the one to report
        click.echo(f"kb: warning: serving the existing index; {e}", err=True)
    import logging

    import waitress

    from web import create_app
    from web.security import secure_server

    app = create_app({"KB_INDEX": ctx.obj["index"], "KB_CORPUS": ctx.obj["corpus"], "BASE_URL": base_url})
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads, ident="policy-kb")
    except OSError as e:
        raise KbError(f"cannot listen on {host}:{port} ({e.strerror or e})") from None
    secure_server(server)
    logging.basicConfig()  # waitress reports failures through logging, as waitress.serve arranges
    click.echo(f"Serving the knowledge base on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    server.run()


def main() -> None:
    """Run ``kb`` with the exit statuses it documents: 0 results, 1 none, 2 any error in one line.

    Inside a command, :func:`friendly_errors` reports errors. Before a command
    runs, click reports its own: a usage mistake in several lines (usage,
    hint, blank line, error) and an interrupt as "Aborted!" with status 1,
    which a script would read as "no results". Here they take the same form as
    every other error; a bare ``kb`` shows the help, as ``kb --help`` does.
    """
    try:
        status = cli.main(prog_name="kb", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as e:
        click.echo(e.ctx.get_help())
        status = 0
    except click.UsageError as e:
        where = f" (see '{e.ctx.command_path} --help')" if e.ctx else ""
        KbError(e.format_message() + where).show()
        status = 2
    except KbError as e:
        e.show()
        status = e.exit_code
    except click.ClickException as e:  # click's other reports (a file it could not open): still status 2
        KbError(e.format_message()).show()
        status = 2
    except (click.Abort, KeyboardInterrupt):
        error = interrupted()
        error.show()
        status = error.exit_code
    except BrokenPipeError:  # output cut short by the reader (kb sections | head): not an error
        sys.stderr.close()
        status = 0
    except Exception as e:  # noqa: BLE001 - the edge: a bug outside any command still gets one line and status 2
        error = internal_error(e)
        error.show()
        status = error.exit_code
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
