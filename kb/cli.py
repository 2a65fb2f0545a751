"""The ``kb`` command: a thin layer over the library, one command per library call.

Exit status: 0 success (or results found), 1 a search with no results, 2 an
error, reported as one line on standard error. Heavy modules are imported
inside the commands that need them, so that ``kb search`` starts fast.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

import click

from kb import settings, textwidth

#: Longest error line printed (a few terminal lines); longer ones keep their start and end.
MAX_MESSAGE = 400
#: How `--color` may be set: by the terminal and NO_COLOR (auto), or always, or never.
COLOR_CHOICES = ("auto", "always", "never")


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
@click.option(
    "--color",
    type=click.Choice(COLOR_CHOICES),
    default="auto",
    show_default=True,
    help="Bold titles and highlighted matches: on a terminal unless NO_COLOR is set (auto), always, or never.",
)
@click.version_option(package_name="policy-kb")
@click.pass_context
def cli(ctx: click.Context, index_dir: Path | None, corpus_dir: Path | None, color: str) -> None:
    """Search and read Chinese government policy notices in English translation."""
    given = [("--index", index_dir), ("--corpus", corpus_dir)]
    ctx.obj = {
        "index": index_dir or settings.default_index(),
        "corpus": corpus_dir or settings.default_corpus(),
        "color": color,
        # repeated in the commands the output suggests (`kb show ...`), so that they read the same knowledge base
        "global_args": [part for name, value in given if value is not None for part in (name, str(value))],
    }


def _read_input(file: str) -> tuple[str, str]:
    text, name, _ = _read_input_and_facts(file)
    return text, name


def _read_input_and_facts(file: str) -> tuple[str, str, dict]:
    """FILE's text (a saved web page's article text), its name, and the facts a web page states about itself."""
    from kb.corpus import SourceError, decode_source, read_text

    if file == "-":
        try:
            return decode_source(sys.stdin.buffer.read(), "<stdin>"), "<stdin>", {}
        except SourceError as e:
            raise KbError(str(e)) from None
    try:
        text, stated = read_text(Path(file))
        return text, file, stated
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
    """Print the sections and metadata of FILE (cleaned first, as by `kb clean`).

    A Markdown FILE's front matter, and the manifest beside FILE, add the facts they state, as when indexing.
    """
    from kb.corpus import SourceError, apply_manifest, read_manifest, read_outline

    text, name, stated = _read_input_and_facts(file)
    try:
        result, _ = read_outline(text, name, markdown=file.lower().endswith(".md"), stated=stated)
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
    for label, value in (("Number", m.number), ("Source", m.source), ("Date", m.date), ("Type", m.doc_type)):
        if value:
            click.echo(f"{label}: {value}")
    if m.issuers:
        click.echo(f"Issued by: {'; '.join(m.issuers)}")
    click.echo()
    for s in result.sections_headed():
        if s.id.part and s.id.is_front:  # a part's heading line, its sections indented under it
            click.echo(f"\n{s.id}  {s.title}")
            continue
        indent = "    " * (s.id.level - 1 + (1 if s.id.part else 0))
        title = s.title or "(no title in this translation)"
        click.echo(f"{indent}{textwidth.pad(s.id, 5)} {title}{DERIVED_NOTE if s.title_derived else ''}")


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
    """The knowledge base, building the index first if there is none, and saying so if it is older than the corpus."""
    from kb import freshness, index
    from kb.search import open_kb

    with _build_progress() as update:
        index.ensure(ctx.obj["corpus"], ctx.obj["index"], progress=update)
    stale = freshness.check(ctx.obj["index"], ctx.obj["corpus"])
    if stale:
        click.echo(f"kb: warning: {stale.message} to update it", err=True)
    return open_kb(ctx.obj["index"])


def _warn_if_repaired(result) -> None:
    if result.repaired:
        click.echo(
            f"kb: warning: rebuilt the index; the previous build could not be used ({result.repaired})", err=True
        )


@cli.command("index")
@click.option("--force", is_flag=True, help="Rebuild even if the sources have not changed.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
@friendly_errors
def index_cmd(ctx: click.Context, force: bool, as_json: bool) -> None:
    """Build the search index from the corpus (skipped when nothing changed)."""
    from kb import index, semantic

    with _build_progress() as update:
        result = index.build(
            ctx.obj["corpus"], ctx.obj["index"], force=force, progress=update, procs=index.build_processes()
        )
    for problem in result.skipped_files:
        click.echo(f"kb: warning: skipped {problem}", err=True)
    _warn_if_repaired(result)
    if as_json:
        data = {
            "built": result.built,
            "path": str(result.path),
            "chunks": result.chunks,
            "skipped": result.skipped_files,
            "repaired": result.repaired,
            "updated_notices": result.changed,
            "mode": semantic.search_mode(result.path),
        }
        _echo_json(data)
    elif result.changed is not None:
        n = len(result.changed)
        click.echo(
            f"Updated {n} notice{'s' if n != 1 else ''} ({', '.join(result.changed[:5])}"
            f"{', ...' if n > 5 else ''}; {result.chunks} sections written) into {result.path}"
        )
    elif result.built:
        click.echo(f"Indexed {result.chunks} sections into {result.path}")
    else:
        click.echo(f"Index is up to date ({result.path}); use --force to rebuild")
    if not as_json:
        click.echo(result.semantic or semantic.built(result.path))


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


#: Output formats of the listing commands: for a person, or for scripts (one JSON document, one JSON object a
#: line, or tab-separated values with a header line, as sqlite-utils offers them).
FORMATS = ("text", "json", "jsonl", "tsv")


def _listing_options(noun: str, default_limit: int):
    """``--limit``, ``--offset``, ``--page`` and ``--format``/``--json``: paging and output of a listing."""

    def decorate(fn):
        limit_help = f"{noun} per page (1-100)."
        options = [
            click.option("--limit", "-n", type=int, default=default_limit, show_default=True, help=limit_help),
            click.option("--offset", type=int, default=None, help=f"Skip this many {noun.lower()} [default: 0]."),
            click.option("--page", type=click.IntRange(1), default=None, help="Show this page (not with --offset)."),
            click.option(
                "--format",
                "output_format",
                type=click.Choice(FORMATS),
                default=None,
                help="text (default), json, jsonl (an object a line) or tsv (with a header line).",
            ),
            click.option("--json", "as_json", is_flag=True, help="The same as --format json."),
        ]
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate


def _paging(limit: int, offset: int | None, page: int | None) -> int:
    """The offset that ``--offset`` or ``--page`` asks for (not both)."""
    if page is not None and offset is not None:
        raise KbError("give --page or --offset, not both")
    if page is not None:
        return (page - 1) * limit
    return offset or 0


def _format(output_format: str | None, as_json: bool) -> str:
    if as_json and output_format not in (None, "json"):
        raise KbError(f"give --json or --format {output_format}, not both")
    return "json" if as_json else output_format or "text"


def _tsv_cell(value: object) -> str:
    """A value as one TSV cell: lists joined by "; ", tabs and line breaks as spaces."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return " ".join(str(value).split())


def _echo_rows(rows: list[dict], output_format: str, columns: list[str]) -> None:
    """Rows as JSON lines, or as TSV with a header line of ``columns``."""
    if output_format == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo("\t".join(columns))
    for row in rows:
        click.echo("\t".join(_tsv_cell(row.get(c)) for c in columns))


#: Columns of `kb notices --format tsv` and `kb search --format tsv`.
NOTICE_COLUMNS = ["id", "date", "number", "type", "title", "issuers", "translations"]
RESULT_COLUMNS = ["notice", "section", "translation", "score", "number", "date", "title", "snippet", "citation"]

#: Issuing bodies a one-line listing names before it says how many more there are (joint notices list a dozen).
MAX_ISSUERS_SHOWN = 3


def _issuers(names: list[str]) -> str:
    """The issuing bodies, the first few in full: a notice of twelve ministries still fits a line or two."""
    if len(names) <= MAX_ISSUERS_SHOWN:
        return "; ".join(names)
    return "; ".join(names[:MAX_ISSUERS_SHOWN]) + f"; and {len(names) - MAX_ISSUERS_SHOWN} more"


def _notice_filters(fn):
    """The options that narrow notices by their facts (``kb notices``, ``kb search``): checked by the library."""
    kind = "Only notices of this type (notice, plan, measures, ...)."
    fn = click.option("--type", "doc_type", default=None, metavar="TYPE", help=kind)(fn)
    fn = click.option("--year", default=None, metavar="YEAR", help="Only notices dated in this year.")(fn)
    return click.option("--issuer", default=None, metavar="BODY", help="Only notices issued by this body.")(fn)


def _paged(what: str, page) -> str:
    """``12 notices (showing 1-10, page 1 of 2)``: the footer or header of a paged listing."""
    noun = what if page.total == 1 else what + "s"
    shown = f"showing {page.first}-{page.last}"
    if page.pages > 1 and page.offset % page.limit == 0:  # an offset between pages is on no page
        shown += f", page {page.page} of {page.pages}"
    return f"{page.total} {noun} ({shown})"


@cli.command()
@_notice_filters
@_listing_options("Notices", 20)
@click.pass_context
@friendly_errors
def notices(
    ctx: click.Context,
    issuer: str | None,
    year: str | None,
    doc_type: str | None,
    limit: int,
    offset: int | None,
    page: int | None,
    output_format: str | None,
    as_json: bool,
) -> None:
    """List the notices, newest first: id, date, number, type, title, issuing bodies, translations.

    The id is what `kb show`, `kb sections` and `kb search --notice` take.
    Exit status 1 when no notice meets the filters.

    \b
    Examples:
      kb notices --issuer "Ministry of Finance" --year 2024
      kb notices --page 2
      kb notices --format tsv | cut -f1,2,5
    """
    how = _format(output_format, as_json)
    start = _paging(limit, offset, page)
    kb = _knowledge_base(ctx)
    page_ = kb.list_notices(kb.filters(issuer=issuer, year=year, type=doc_type), limit=limit, offset=start)
    _print_notices(page_, how)
    ctx.exit(0 if page_.notices else 1)


def _print_notices(page, how: str) -> None:
    if how == "json":
        _echo_json(page.to_json())
    elif how in ("jsonl", "tsv"):
        rows = [{**n.summary(), "translations": [t.name for t in n.translations]} for n in page.notices]
        _echo_rows(rows, how, NOTICE_COLUMNS)
    elif not page.notices:
        click.echo("No notices." if page.total == 0 else "No more notices.", err=True)
    else:
        bold = _styler()
        for notice in page.notices:
            facts = " · ".join(filter(None, [notice.date or "undated", notice.number, notice.doc_type]))
            _out(bold(notice.id) + f"  {facts}")
            click.echo(f"   {notice.title}")
            if notice.issuers:
                click.echo(f"   Issued by: {_issuers(notice.issuers)}")
            click.echo(f"   Translations: {', '.join(t.name for t in notice.translations)}\n")
        click.echo(_paged("notice", page))
        if page.has_more:
            click.echo(f"Next page: --offset {page.last}")


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, with an ellipsis where it was cut (a Chinese character is two)."""
    return textwidth.fit(text, width)


def use_color() -> bool:
    """Whether output is styled: ``--color always``/``never``, else on a terminal unless NO_COLOR is set.

    NO_COLOR (https://no-color.org) is a person's standing wish, so it turns
    colour off wherever ``auto`` would turn it on; an explicit ``--color
    always`` on the command line still wins.
    """
    ctx = click.get_current_context(silent=True)
    choice = (ctx.find_root().obj or {}).get("color", "auto") if ctx is not None else "auto"
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _out(text: str = "") -> None:
    """One line of styled output: click keeps the styles when colour is on, even in a pipe (``--color always``)."""
    click.echo(text, color=use_color())


def _styler():
    """Bold when colour is on (:func:`use_color`), plain text otherwise."""
    if use_color():
        return lambda text: click.style(text, bold=True)
    return lambda text: text


def output_width() -> int | None:
    """The width to wrap text to: the terminal's, or COLUMNS when set; None (one line each) in a pipe."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


#: Narrowest text column a wrapped line keeps, however narrow the terminal (words are never split).
MIN_TEXT_WIDTH = 20


def wrap_text(text: str, width: int | None, first: str = "   ", rest: str = "   ") -> list[str]:
    """``text`` wrapped to ``width`` terminal columns (one line without a width), the first line starting with
    ``first`` and the others with ``rest`` (a hanging indent). Latin text breaks between words (a word longer
    than the line is not split), Chinese between characters; wide characters count two columns."""
    if width is None:
        return [first + text]
    first_width, rest_width = textwidth.display_width(first), textwidth.display_width(rest)
    room = max(width, first_width + MIN_TEXT_WIDTH, rest_width + MIN_TEXT_WIDTH)
    return textwidth.wrap(text, room, first, rest)


def wrap_snippet(snippet, width: int | None, indent: str, mark: tuple[str, str] | None) -> list[str]:
    """A snippet's lines, each starting with ``indent``, wrapped to ``width`` terminal columns.

    Latin text breaks between words, Chinese between characters (see
    kb.textwidth). The matches are wrapped in ``mark`` (colour codes) after
    the text is measured, so the codes take no room; a match spanning
    several Chinese characters is marked once per line. Without a width the
    snippet is one line (front matter's own line breaks removed).
    """
    plain = snippet.plain
    parts = textwidth.pieces(plain)
    room = None if width is None else max(width - textwidth.display_width(indent), MIN_TEXT_WIDTH)
    spans = snippet.spans

    def render(start: int, end: int) -> str:
        return _marked_word(plain, start, end, spans, mark)

    lines = []
    for line in textwidth.break_lines(plain, parts, room):
        text = textwidth.join(plain, line, render)
        if mark is not None:
            text = text.replace(mark[1] + mark[0], "")  # one mark over a match cut into pieces
        lines.append(indent + text)
    return lines


def _marked_word(plain: str, start: int, end: int, spans, mark: tuple[str, str] | None) -> str:
    """``plain[start:end]`` with the part of each match inside it wrapped in ``mark``."""
    if mark is None:
        return plain[start:end]
    out, pos = [], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s < e:
            out += [plain[pos:s], mark[0], plain[s:e], mark[1]]
            pos = e
    out.append(plain[pos:end])
    return "".join(out)


@cli.command()
@click.argument("query")
@click.option("--notice", default=None, metavar="ID", help="Only this notice (see `kb notices`).")
@_notice_filters
@click.option("--translation", "-t", default=None, metavar="NAME", help="Only translations of this name.")
@click.option(
    "--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True, help="Result order."
)
@_listing_options("Results", 10)
@click.option("--separate", is_flag=True, help="List each translation of a section separately.")
@click.option(
    "--as-typed", is_flag=True, help="Search misspelt words as typed (by default they are searched as corrected)."
)
@click.option(
    "--explain", is_flag=True, help="Show each result's score signal by signal: words, proximity, coverage, meaning."
)
@click.pass_context
@friendly_errors
def search(
    ctx: click.Context,
    query: str,
    notice: str | None,
    issuer: str | None,
    year: str | None,
    doc_type: str | None,
    translation: str | None,
    sort: str,
    limit: int,
    offset: int | None,
    page: int | None,
    output_format: str | None,
    as_json: bool,
    separate: bool,
    as_typed: bool,
    explain: bool,
) -> None:
    """Search the notices. QUERY takes words, "phrases", AND/OR/NOT, field:value, prefix*, fuzzy~.

    Fields: title:security, section:6.1, and fields that narrow the words
    beside them: issuer:MIIT, year:2024, type:plan, notice:ID, translation:full.
    A citation such as "6 (1)" or "VI (1)" puts that section first. Each result names its
    notice and the `kb show` command that prints it (or its web address when
    KB_BASE_URL is set). Exit status 1 when nothing matches.

    \b
    Examples:
      kb search "green data centres"
      kb search "submarine cables" --issuer "Ministry of Finance" --page 2
      kb search '"dual gigabit"' --format tsv | cut -f1,2,9
      kb search "6 (1)" --json
    """
    how = _format(output_format, as_json)
    start = _paging(limit, offset, page)
    kb = _knowledge_base(ctx)
    filters = kb.filters(notice=notice, issuer=issuer, year=year, type=doc_type, translation=translation)
    result = kb.search(
        query,
        limit=limit,
        offset=start,
        filters=filters,
        sort=sort,
        group=not separate,
        correct=not as_typed,
        explain=explain,
    )
    if how == "json":
        data = result.to_json()
        data["results"] = [_hit_json(hit) for hit in result.hits]
        _echo_json(data)
    elif how in ("jsonl", "tsv"):
        _echo_rows([_hit_json(hit) for hit in result.hits], how, RESULT_COLUMNS)
    else:
        _print_results(result, _opener(ctx))
    ctx.exit(0 if result.hits else 1)


def _hit_json(hit) -> dict:
    """A result as JSON, its citation the complete one (with the permalink when KB_BASE_URL is set)."""
    data = hit.to_json()
    data["citation"] = citation_for(hit.notice, hit.translation, hit.section, settings.default_base_url()).text()
    return data


def _opener(ctx: click.Context):
    """How a result says where to read it: its permalink when a base URL is configured, else a `kb show` command.

    The web owns its URL scheme, so the permalink is built by the web layer
    (imported only here, and only when a base URL is set: plain searches do
    not load Flask).
    """
    base_url = settings.default_base_url()
    if base_url:
        from web.permalinks import permalink

        return lambda hit: permalink(base_url, hit.notice.id, hit.chunk.translation, hit.section)
    prefix = ["kb", *ctx.obj["global_args"]]
    return lambda hit: shlex.join([*prefix, "show", hit.notice.id, hit.section, "-t", hit.chunk.translation])


def _print_results(result, opener) -> None:
    color = use_color()
    width = output_width()
    bold = _styler()
    if result.fallback:
        click.echo("(query syntax not understood; searched for its words)", err=True)
    if result.corrected:
        click.echo(f"Showing results for: {result.corrected} (--as-typed searches {result.query!r})", err=True)
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}", err=True)
    for warning in result.warnings:
        click.echo(f"({warning})", err=True)
    if not result.hits:
        click.echo("No results." if result.total == 0 else "No more results.", err=True)
        return
    links = [opener(hit) for hit in result.hits]  # first: a link that cannot be built leaves no half-printed page
    header = _paged("result", result)
    by_notice = result.facets.get("notice", {})
    if len(by_notice) > 1:
        header += f" in {len(by_notice)} notices"
    click.echo(header + "\n")
    for rank, hit, link in zip(range(result.offset + 1, result.last + 1), result.hits, links, strict=True):
        title = hit.title or "(untitled)"
        heading = f"{rank}. {title}" if hit.section.is_front else f"{rank}. [{hit.section.display}] {title}"
        for line in wrap_text(heading, width, "", "   "):
            _out(bold(line))
        notice = hit.notice
        for line in wrap_text(" · ".join(filter(None, [notice.number or notice.title, notice.date])), width):
            click.echo(line)
        where = hit.chunk.translation
        if hit.also_in:
            where += f" (also in: {', '.join(hit.also_in)})"
        if hit.through:
            where += f" · found through: {', '.join(hit.through)}"
        if hit.chunk.parent_title:
            where += " · " + " ".join(filter(None, [hit.chunk.parent_label, hit.chunk.parent_title]))
        for line in wrap_text(where, width):
            click.echo(line)
        for line in wrap_snippet(hit.snippet, width, "   ", ("\x1b[1;33m", "\x1b[0m") if color else None):
            _out(line)
        why = _why(hit.match)
        if why:
            for line in wrap_text(why, width, "   ", "   "):
                click.echo(line)
        if hit.explanation:
            for line in wrap_text(explanation_line(hit.explanation), width, "   ", "     "):
                click.echo(line)
        click.echo(f"   {link}\n")
    if result.has_more:
        click.echo(f"Next page: --offset {result.last}")


def explanation_line(parts: dict[str, float]) -> str:
    """A result's score signal by signal, on one line for a terminal (see kb.search._explain)."""
    line = (
        f"score {parts['score']:.3f} = lexical {parts['lexical']:.3f} + semantic {parts['semantic']:.3f}"
        f" + citation {parts['citation']:g} + other translations {parts['translations']:.3f};"
        f" lexical from BM25F {parts['bm25f']:.3f} + proximity {parts['proximity']:.3f}"
    )
    if parts["coverage"] != 1.0:
        line += f", times coverage {parts['coverage']:.3f}"
    words = (parts["bm25f"] + parts["proximity"]) * parts["coverage"]
    if words and abs(parts["lexical"] - words) > 1e-9:  # blended with search by meaning: the words' share of it
        line += f", times the blend's share {parts['lexical'] / words:.2f}"
    return line


def _why(match) -> str:
    """What a result lacks of the query, and the synonyms that stood in for words it lacks ("" if nothing)."""
    if match is None:
        return ""
    parts = [f"matched {found!r}, a synonym of {typed!r}" for found, typed in match.synonyms]
    if match.missing:
        parts.append("missing: " + ", ".join(match.missing))
    return "(" + "; ".join(parts) + ")" if parts else ""


def _notice_and_section(kb, args: tuple[str, ...], command: str):
    """``[NOTICE] SECTION`` as typed: the notice (the only one when not named) and the section text.

    Two optional-looking arguments cannot be told apart by position alone,
    so the command takes one or two values: one is a section of the only
    notice, two are a notice and a section.
    """
    if len(args) == 2:
        return kb.notice(args[0]), args[1]
    return _only_notice(kb, f"{command} NOTICE SECTION", hint=args[0]), args[0]


def _check_notice_and_section(args: tuple[str, ...]) -> None:
    """A usage error for anything but one or two values, before any work (opening or building the index)."""
    if not args:
        raise click.UsageError("missing SECTION: expected [NOTICE] SECTION")
    if len(args) > 2:
        raise click.UsageError(f"expected [NOTICE] SECTION, got {len(args)} arguments")


def _only_notice(kb, usage: str, hint: str | None = None):
    """The only notice, else an error saying how to name one (``usage``); ``hint`` named a notice, not a section."""
    from kb.errors import InvalidRequest

    if hint is not None and hint in kb.catalog.by_id:
        raise InvalidRequest(f"say which section of notice {hint!r}: kb {usage.replace('NOTICE', hint)}")
    try:
        return kb.notice(None)
    except InvalidRequest as e:
        raise InvalidRequest(f"{e} (kb {usage}; `kb notices` lists them)") from None


@cli.command()
@click.argument("args", nargs=-1, metavar="[NOTICE] SECTION")
@click.option("--translation", "-t", default=None, help="Which translation (default: every one that has it).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
@friendly_errors
def show(ctx: click.Context, args: tuple[str, ...], translation: str | None, as_json: bool) -> None:
    """Print the clean text of SECTION (e.g. 6.1, "6 (1)", front) of NOTICE.

    NOTICE is a notice id (see `kb notices`); it may be left out while the
    knowledge base holds a single notice.
    """
    from kb.errors import NotFound
    from kb.search import parse_section

    _check_notice_and_section(args)
    kb = _knowledge_base(ctx)
    notice, text = _notice_and_section(kb, args, "show")
    section_id = parse_section(text)
    chosen = [kb.translation(notice, translation)] if translation else notice.translations
    found = []
    for t in chosen:
        try:
            found.append((t, kb.section(notice, t, section_id)))
        except NotFound:
            if translation or (t is chosen[-1] and not found):  # no translation has it: the library says why
                raise
    if as_json:
        base_url = settings.default_base_url()
        shown = []
        for t, s in found:
            cited = citation_for(notice, t, s.id, base_url)
            shown.append(
                {
                    "notice": notice.id,
                    "translation": t.name,
                    "translation_label": t.label,
                    "translator": t.translator,
                    "source": t.source,
                    "restored": t.restored,
                    "section": s.id,
                    "section_label": s.id.display,
                    "title": s.title,
                    "title_derived": s.title_derived,
                    "parent": s.parent,
                    "part": s.id.part,
                    "level": s.id.level,
                    "text": s.body,
                    "permalink": cited.permalink,
                    "citation": cited.text(),
                }
            )
        _echo_json(shown)
        return
    bold = _styler()
    for k, (t, s) in enumerate(found):
        if k:
            click.echo()
        _out(bold(notice.citation(s.id, t)) + f" [{t.name}]")
        if not s.id.is_front or s.id.part:
            # as every page names it (kb.models.Section.heading); a part's opening by the part's heading
            click.echo(s.heading + (DERIVED_NOTE if s.title_derived else ""))
        click.echo(s.body or "(no text of its own in this translation)")


@cli.command()
@click.argument("notice_id", required=False, metavar="[NOTICE]")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
@friendly_errors
def sections(ctx: click.Context, notice_id: str | None, as_json: bool) -> None:
    """Table of contents of NOTICE, with the sections each translation lacks.

    NOTICE is a notice id (see `kb notices`); it may be left out while the
    knowledge base holds a single notice.
    """
    kb = _knowledge_base(ctx)
    notice = kb.notice(notice_id) if notice_id is not None else _only_notice(kb, "sections NOTICE")
    # looked up once, not per row: per-row lookups were quadratic (20,000 subsections: 20 s)
    have = [set(t.section_ids) for t in notice.translations]
    titles = notice.section_titles
    derived = notice.derived_titles
    gone = notice.missing_everywhere()
    names = [t.name for t in notice.translations]
    if as_json:
        _echo_json(
            {
                "notice": notice.summary(),
                "parts": [p.to_json() for p in notice.parts],
                "sections": [
                    {
                        "id": sid,
                        "label": sid.display,
                        "title": notice.section_title(sid),
                        "title_derived": sid in derived,
                        "parent": sid.parent,
                        "part": sid.part,
                        "level": sid.level,
                        "translations": [name for name, ids in zip(names, have, strict=True) if sid in ids],
                    }
                    for sid in notice.section_ids
                ],
                "missing_everywhere": gone,
                "missing": {name: notice.missing(name) for name in names},
            }
        )
        return
    width = output_width()
    bold = _styler()
    for line in wrap_text(notice.title, width, "", ""):
        _out(bold(line))
    for line in wrap_text(" · ".join(filter(None, [notice.id, notice.number, notice.date])), width, "", ""):
        click.echo(line)
    click.echo()
    widths = [max(6, textwidth.display_width(n)) for n in names]  # a column as wide as its translation's name
    names_row = " ".join(textwidth.pad(n, w, ">") for n, w in zip(names, widths, strict=True))
    every = notice.section_ids
    # the id column fits the widest indented id: 6 for a notice of one part and two levels, as it always was
    id_width = max([6, *(len(_sections_indent(sid)) + len(sid) for sid in every)])
    span = sections_title_width(width, textwidth.display_width(names_row), id_width)
    click.echo(f"{'':{id_width}} {'':{span}} " + names_row)
    part = 0
    for sid in every:
        if sid.part != part:  # a part begins: a blank line, and its heading where no translation has its opening
            part = sid.part
            click.echo()
            if not sid.is_front:
                found = notice.part(part)
                _out(bold(found.heading if found else f"Attachment {part}"))
        title = titles.get(sid) or ("Front matter" if sid.is_front else "")
        title += DERIVED_NOTE if sid in derived else ""
        marks = " ".join(textwidth.pad("✓" if sid in ids else "—", w, ">") for ids, w in zip(have, widths, strict=True))
        row = f"{textwidth.pad(_sections_indent(sid) + sid, id_width)} {textwidth.pad(_fit(title, span), span)} {marks}"
        _out(bold(row) if sid.part and sid.is_front else row)
    click.echo()
    if gone:
        click.echo(f"Missing from every translation: {', '.join(gone)}")
    gone_set = set(gone)  # a set: membership in the list was quadratic in the missing sections
    for t in notice.translations:
        lacking = [i for i in notice.missing(t.name) if i not in gone_set]
        if lacking:
            click.echo(f"Missing from {t.name}: {', '.join(lacking)}")


#: What a listing adds after a title that is not the text's own but made from its first clause (Section.title_derived).
DERIVED_NOTE = " (title derived from the text)"
#: Widest the title column of ``kb sections`` gets (in a pipe, always): titles longer are cut with an ellipsis.
SECTIONS_TITLE_WIDTH = 60


def sections_title_width(width: int | None, marks: int, id_width: int = 6) -> int:
    """The title column of ``kb sections``: SECTIONS_TITLE_WIDTH, or less, so that a row with its id (``id_width``
    columns) and the translations' marks (``marks`` columns) fits a terminal ``width`` wide; never under
    MIN_TEXT_WIDTH."""
    if width is None:
        return SECTIONS_TITLE_WIDTH
    return max(MIN_TEXT_WIDTH, min(SECTIONS_TITLE_WIDTH, width - id_width - 1 - 1 - marks))


def _sections_indent(sid) -> str:
    """A row's indent in ``kb sections``: two spaces a level below the top, and two more inside a part (whose
    opening's row is its heading)."""
    if sid.is_front:
        return ""
    return "  " * (sid.level - 1 + (1 if sid.part else 0))


#: A section named in one argument, as a permalink or its path ends: ``.../notices/<notice>/<translation>/<section>``,
#: or ``<notice>/<translation>/<section>`` as typed.
_CITED_PATH = re.compile(
    r"(?:^|/)(?:notices/)?(?P<notice>[^/\s]+)/(?P<translation>[^/\s]+)/(?P<section>(?:a\d{1,3}/)?[^/]+?)/?$"
)


def _cited(args: tuple[str, ...]) -> tuple[str, str, str]:
    """``NOTICE TRANSLATION SECTION``, or one permalink (or its path) naming the three; a usage error otherwise."""
    from urllib.parse import unquote, urlsplit

    if len(args) == 3:
        return args[0], args[1], args[2]
    if len(args) == 1:
        path = urlsplit(args[0]).path if "://" in args[0] else args[0]
        m = _CITED_PATH.search(unquote(path))
        if m:
            return m["notice"], m["translation"], m["section"]
        raise click.UsageError(
            f"{args[0][:80]!r} is not a section's permalink: expected .../notices/NOTICE/TRANSLATION/SECTION"
        )
    raise click.UsageError(f"expected NOTICE TRANSLATION SECTION or one permalink, got {len(args)} arguments")


def citation_for(notice, translation, section_id, base_url: str | None):
    """The citation of a section, with its permalink on ``base_url`` (the site's public address) when one is set."""
    from kb.citation import Citation

    link = None
    if base_url:
        from web.permalinks import permalink

        link = permalink(base_url, notice.id, translation.name, section_id)
    return Citation.of(notice, translation, section_id, link)


@cli.command()
@click.argument("args", nargs=-1, metavar="NOTICE TRANSLATION SECTION | PERMALINK")
@click.option(
    "--format",
    "-f",
    "output_format",
    default="text",
    show_default=True,
    metavar="text|bibtex|ris|csl-json",
    help="A line of text, or an entry for a reference manager.",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="The site's public address, for the permalink [env KB_BASE_URL; without it the citation has no link].",
)
@click.pass_context
@friendly_errors
def cite(ctx: click.Context, args: tuple[str, ...], output_format: str, base_url: str | None) -> None:
    """Print the citation of SECTION of NOTICE as TRANSLATION has it (or of the section a PERMALINK names).

    \b
    Examples:
      kb cite miit-2024-165 gmt 5.1
      kb cite miit-2024-165 full "6 (1)" --format bibtex >> refs.bib
      kb cite https://kb.example.org/notices/miit-2024-165/gmt/5.1 -f ris
    """
    from kb.citation import NO_PERMALINK, check_format
    from kb.search import parse_section

    name = check_format(output_format)  # before any work: a bad format is one line and status 2
    notice_id, translation_name, section_text = _cited(args)
    base_url = settings.check_base_url(base_url) if base_url else settings.default_base_url()
    kb = _knowledge_base(ctx)
    notice = kb.notice(notice_id)
    translation = kb.translation(notice, translation_name)
    section = kb.section(notice, translation, parse_section(section_text))
    citation = citation_for(notice, translation, section.id, base_url)
    if not base_url:
        click.echo(f"kb: note: {NO_PERMALINK} (give --base-url or set KB_BASE_URL)", err=True)
    click.echo(citation.render(name), nl=False)


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
@click.option(
    "--watch",
    is_flag=True,
    help="Rebuild the index whenever the corpus changes (looked at every few seconds); pages follow the new build.",
)
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str, port: int, threads: int, base_url: str | None, watch: bool) -> None:
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
            # before serving starts its threads, so the build may use every core
            result = index.build(ctx.obj["corpus"], ctx.obj["index"], progress=update, procs=index.build_processes())
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
    watcher = _watcher(ctx) if watch else None
    click.echo(f"Serving the knowledge base on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    try:
        server.run()
    finally:
        if watcher:
            watcher.stop()


def _watcher(ctx: click.Context):
    """Start rebuilding on corpus changes (``kb serve --watch``); each rebuild or failure is one line on stderr."""
    from kb.freshness import Watcher

    def built(result) -> None:
        click.echo(f"kb: rebuilt the index after a change to the corpus ({result.chunks} sections)", err=True)
        for problem in result.skipped_files:
            click.echo(f"kb: warning: skipped {problem}", err=True)

    def failed(error: Exception) -> None:
        message = " ".join(str(error).splitlines())[:MAX_MESSAGE]
        click.echo(
            f"kb: warning: the corpus changed but could not be indexed; serving the previous build ({message})",
            err=True,
        )

    watcher = Watcher(ctx.obj["corpus"], ctx.obj["index"], on_build=built, on_error=failed)
    watcher.start()
    return watcher


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
