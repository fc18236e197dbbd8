"""The ``socieux-kg`` command line. Heavy imports wait until a command runs, so ``--help`` is quick."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

import click

from graph.words import counted

DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("exports")
DEFAULT_GRAPH = DEFAULT_OUT / "socieux.ttl"
DEFAULT_SET = Path("tests") / "data" / "annotated.jsonl"  # the annotated development set `evaluate` scores
# graph.sparql.push.PUSHED_GRAPH, repeated so that --help loads no HTTP client (a test keeps them equal)
PUSHED_GRAPH = "https://w3id.org/socieux-kg/graph"


def graph_option(help_text: str):
    """The --graph option the query, validate, viz, stats, serve and push commands share."""
    return click.option(
        "--graph",
        "-g",
        "graph_file",
        type=click.Path(path_type=Path),
        default=DEFAULT_GRAPH,
        show_default=True,
        help=help_text,
    )


def themes_model_option():
    """The --themes-model option of build and evaluate: a theme model trained by `themes train`."""
    return click.option(
        "--themes-model",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Decide themes with this model (trained by `socieux-kg themes train`).  "
        "[default: the one the package ships]",
    )


def _themes_model(folder: Path | None):
    """A context in which themes are decided with ``folder``'s model (the default one for None)."""
    from contextlib import nullcontext

    if folder is None:
        return nullcontext()
    from graph.errors import SocieuxError
    from graph.extract.theme_model import ThemeModel, chosen_model

    try:
        ThemeModel.load(folder)
    except SocieuxError as error:
        _fail(error)
    return chosen_model(folder)


def _fail(error: Exception | str, code: int = 1) -> NoReturn:
    click.echo(f"socieux-kg: error: {error}", err=True)
    sys.exit(code)


_BUILT = False  # set once a build has written everything: the process may then end at once


def _say(message: str) -> None:
    click.echo(f"  {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="socieux-kg")
def main() -> None:
    """Build a knowledge graph of SOCIEUX+ technical-cooperation actions from website text.

    \b
    socieux-kg build                 read seeds/*.txt, write exports/ (Turtle, N-Triples,
                                     JSON-LD, build report)
    socieux-kg query actions         one row per action, as a table, CSV, TSV or JSON
    socieux-kg validate              check a graph against the SHACL shapes
    socieux-kg viz country-flows     write an interactive network page (offline HTML)
    socieux-kg stats                 top countries, institutions, themes; CSV and an SVG
    socieux-kg site --out site       a static site: a page for every resource, with its data
    socieux-kg serve                 a SPARQL endpoint, and every resource at its IRI's path
    socieux-kg evaluate              score the extraction against an annotated set
    socieux-kg correct ACTION FIELD --remove VALUE --reason WHY
                                     correct a fact (seeds/corrections.csv, applied
                                     at every build)
    socieux-kg diff OLD NEW          what changed between two builds
    socieux-kg themes compare        the theme methods compared; `themes train` retrains the model

    Exit codes: 0 success, 1 bad input or a graph that does not conform, 2 usage error, 3 internal
    error (a bug: the traceback is printed); diff: 0 nothing changed, 1 something did, 2 an error.
    """
    # rdflib logs a traceback for a literal whose text does not fit its datatype ("x"^^xsd:integer)
    # and warns of IRIs it finds odd; the term is kept as it stands, and the terminal gets no traceback
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for the graph files and the build report.",
)
@click.option(
    "--validate/--no-validate",
    default=True,
    show_default=True,
    help="Check the built graph against ontology/shapes.ttl (SHACL).",
)
@click.option(
    "--network/--no-network",
    default=True,
    show_default=True,
    help="Also write the network views (views/), Gephi exports (network/) and statistics (stats/).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for extraction on large inputs (5,000 texts and more)  [default: one per processor]",
)
@click.option(
    "--corrections",
    "corrections",
    type=click.Path(path_type=Path),
    default=None,
    help="Corrections file to apply (CSV: action,field,change,value,reason,by,date; see docs/corrections.md)  "
    "[default: corrections.csv beside the documents: in each folder given, and in the folder of each file given]",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the one-line summary.")
@themes_model_option()
def build(
    files: tuple[Path, ...],
    out: Path,
    validate: bool,
    network: bool,
    jobs: int | None,
    corrections: Path | None,
    quiet: bool,
    themes_model: Path | None,
) -> None:
    """Build the graph from seed documents (default: seeds/*.txt) into OUT.

    FILES are seed documents (UTF-8 text scraped from the SOCIEUX+ website) or folders of them.
    Writes socieux.ttl, socieux.nt, socieux.jsonld, the Oxigraph store store/, build-report.md and
    build-report.json, the network views views/*.html, network/ (GraphML, GEXF, CSV), stats/
    (CSV, SVG), tables/ (actions.csv and evidence.csv with their CSV on the Web metadata) and last
    dataset.ttl (the dataset's DCAT-AP and VoID description); each file is replaced atomically, and
    nothing is written when an input cannot be read. The corrections of corrections.csv beside the
    documents (or --corrections) are applied after extraction; a bad line stops the build before
    anything is written. Progress goes to stderr with the seconds since the start; large inputs are
    extracted in one worker process per processor (--jobs).
    """
    from graph.build import build as run_build
    from graph.build import write_outputs
    from graph.errors import SocieuxError
    from graph.files import check_writable

    started = time.perf_counter()
    themes = _themes_model(themes_model)  # a bad model folder fails before any work
    paths = list(files) or [DEFAULT_SEEDS]
    if not files and not DEFAULT_SEEDS.is_dir():
        _fail(f"{DEFAULT_SEEDS}/: no such folder; run from the project folder or name the seed files")

    def progress(message: str) -> None:
        if not quiet:
            _say(f"{time.perf_counter() - started:6.1f} s  {message}")

    try:
        if not quiet:
            click.echo(f"socieux-kg: building from {_inputs(paths)} into {out}/", err=True)
        check_writable(out, create=False)  # before the work, not after it; nothing is created yet
        chosen = None if corrections is None else [corrections]
        with themes:
            # validated while the files are written (write_outputs), not before
            result = run_build(paths, validate=False, progress=progress, jobs=jobs, corrections=chosen)
            write_outputs(result, out, network=network, validate=validate, progress=progress)
    except SocieuxError as error:
        _fail(error)
        return
    elapsed = time.perf_counter() - started
    click.echo(f"socieux-kg: {result.report.summary()}; {elapsed:.1f} s")
    global _BUILT
    _BUILT = True
    if result.report.conforms is False:
        _fail(
            f"the graph does not conform to the SHACL shapes ({result.report.violations} violations); "
            f"see `socieux-kg validate --graph {out / 'socieux.ttl'}`"
        )


def _inputs(paths: list[Path]) -> str:
    """The inputs in a few words, however many files: "30 documents in seeds/", "3 documents"."""
    from graph.build import find_seed_files

    count = len(find_seed_files(paths))
    folders = [path for path in paths if path.is_dir()]
    if len(paths) == 1 and folders:
        return f"{counted(count, 'document')} in {folders[0].as_posix().rstrip('/')}/"
    if folders:
        files = len(paths) - len(folders)
        places = counted(len(folders), "folder")
        if files:
            places += f" and {counted(files, 'file')}"
        return f"{counted(count, 'document')} from {places}"
    return counted(count, "document")


def _terminal_width() -> int:
    """Columns to fit a table in: COLUMNS, else the terminal's width; 0 (no limit) when the output
    goes to a file or a pipe."""
    import shutil

    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else 0


@main.command()
@click.argument("query", required=False)
@graph_option("Graph file to query (.ttl, .nt, .jsonld...).")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="Output format of SELECT and ASK results (CONSTRUCT and DESCRIBE give Turtle). The table shows IRIs as "
    "prefixed names and fits the terminal (COLUMNS); csv, tsv and json print rows as the store produces them.",
)
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=0),
    default=None,
    help="Print at most N rows; 0 prints them all.  [default: 50 for the table, all for csv, tsv and json]",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and what they answer, and exit.")
@click.option(
    "--backend",
    type=click.Choice(["oxigraph", "rdflib"]),
    default="oxigraph",
    show_default=True,
    help="Query engine: Oxigraph (the store build writes beside the graph, or the file loaded in memory) "
    "or rdflib's memory store.",
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query variable, e.g. --param country=PER (bound as a term, never pasted into the text).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Run the query on this remote SPARQL 1.1 endpoint (a store the graph was pushed to) instead of "
    "the local graph, e.g. http://localhost:8890/sparql (Virtuoso), http://localhost:7878/query (Oxigraph).",
)
@click.option(
    "--graph-iri",
    default=PUSHED_GRAPH,
    show_default=True,
    help="With --endpoint: the graph to query (sent as default-graph-uri unless the query has FROM); "
    "an empty value queries the store's default graph.",
)
def query(
    query: str | None,
    graph_file: Path,
    fmt: str,
    limit: int | None,
    list_queries: bool,
    backend: str,
    params: tuple[str, ...],
    endpoint: str | None,
    graph_iri: str,
) -> None:
    """Run QUERY over the graph: a named query, a .rq file, or SPARQL text.

    \b
    socieux-kg query actions --format csv
    socieux-kg query country --param country=PER
    socieux-kg query evidence --limit 0          every row as a table
    socieux-kg query my-question.rq
    socieux-kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    socieux-kg query actions --endpoint http://localhost:8890/sparql
    """
    from graph.errors import SocieuxError
    from graph.sparql.query import named_queries, resolve_query

    if list_queries:
        _list_queries(named_queries())
        return
    if not query:
        raise click.UsageError("name a query (see --list), a .rq file or SPARQL text")
    bound = {}
    for param in params:
        name, equals, value = param.partition("=")
        if not equals or not name:
            raise click.UsageError(f"--param takes NAME=VALUE, not {param!r}")
        bound[name.strip()] = value
    try:
        named = resolve_query(query)
        answer = _answer(named, graph_file, backend, bound, endpoint, graph_iri)
        _print_answer(answer, named, fmt, limit)
    except SocieuxError as error:
        _fail(error)


def _answer(named, graph_file: Path, backend: str, bound: dict[str, str], endpoint: str | None, graph_iri: str):
    """The query's answer on the chosen engine, its parameters resolved as the notebook API and the
    endpoint resolve them (graph/sparql/parameters.py)."""
    from graph.sparql.parameters import Resolver

    if endpoint:
        from graph.sparql.remote import Endpoint

        remote = Endpoint(endpoint, graph_iri or None)
        return remote.answer(named, Resolver(lambda q: remote.solutions(q)[2])(named, bound))
    if backend == "rdflib":
        from graph.sparql.query import evaluate_graph, graph_answer, load_graph

        graph = load_graph(graph_file)
        rows = Resolver(lambda q: [{str(v): row[v] for v in row.labels} for row in evaluate_graph(graph, q, None)])
        return graph_answer(graph, named, rows(named, bound))
    from graph.sparql.store import open_store, store_answer, store_for, store_solutions

    store = open_store(store_for(graph_file))
    return store_answer(store, named, Resolver(lambda q: store_solutions(store, q)[2])(named, bound))


def _print_answer(answer, named, fmt: str, limit: int | None) -> None:
    """Write the answer to stdout as its rows come; a reader that stops early (``| head``) ends it quietly."""
    from graph.errors import SocieuxError
    from graph.namespaces import ID
    from graph.sparql.results import write_answer

    try:
        write_answer(answer, fmt, sys.stdout, limit, _terminal_width(), under=ID)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader has gone: nothing more to say to it, and nothing to flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, RuntimeError, SyntaxError, ValueError) as error:  # an engine error while rows stream
        raise SocieuxError(f"{named.path}: the query failed: {' '.join(str(error).split())[:300]}") from None


def _list_queries(queries) -> None:
    """Each named query and its whole description, wrapped to the terminal."""
    import textwrap

    names = max(len(name) for name in queries) + 2
    width = max(_terminal_width() or 100, names + 30)
    for name, named in queries.items():
        lines = textwrap.wrap(named.description, width - names, break_on_hyphens=False) or [""]
        click.echo(f"{name:<{names}}{lines[0]}")
        for line in lines[1:]:
            click.echo(" " * names + line)


@main.command()
@graph_option("Graph file to validate.")
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: our engine for the SHACL subset the shapes use; pyshacl: the reference engine (slow on large graphs).",
)
def validate(graph_file: Path, engine: str) -> None:
    """Check a graph against the SHACL shapes of ontology/shapes.ttl.

    Prints each violation on a line; exits 0 when the graph conforms, 1 when it does not, and 2
    when the graph cannot be read (as pySHACL's command line does).
    """
    from graph.errors import SocieuxError
    from graph.rdf.validate import validate as shacl
    from graph.sparql.query import load_graph

    try:
        graph = load_graph(graph_file)
    except SocieuxError as error:
        _fail(error, 2)
        return
    conforms, violations = shacl(graph, engine=engine)
    for violation in violations:
        click.echo(str(violation))
    if conforms:
        click.echo(f"{graph_file}: conforms ({len(graph)} triples)")
        return
    click.echo(f"{graph_file}: {counted(len(violations), 'violation')}", err=True)
    sys.exit(1)


@main.command()
@graph_option("Graph to serve (its Oxigraph store exports/store/ is used when present).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free).")
@click.option(
    "--time-limit",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1),
    help="Seconds per answer, to its last byte; past it the query is stopped (503, or a cut stream).",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(0),
    help="Rows (or triples) per result; a larger result is refused with 413. 0: no cap, answers stream from "
    "their first row.",
)
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(1), help="Bytes per request.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32), help="Query worker processes.")
@click.option(
    "--public-url",
    metavar="URL",
    default=None,
    help="Where clients reach the service (behind a proxy, e.g. https://example.org/socieux/): the service "
    "description's IRIs are built from it, never from a request's Host header.  [default: http://HOST:PORT/]",
)
@click.option(
    "--cors",
    "cors",
    metavar="ORIGIN",
    multiple=True,
    help="A web origin whose pages may call the endpoint (e.g. https://example.org; * for any); repeat for "
    "several. Without it, CORS is off and a request a page of another site sends is refused (403).",
)
@click.option(
    "--read-timeout",
    default=30,
    show_default=True,
    type=click.IntRange(1),
    help="Seconds an idle or slow connection (one sending its request too slowly) is kept open.",
)
@click.option(
    "--max-connections",
    default=100,
    show_default=True,
    type=click.IntRange(1),
    help="Open connections at most; more wait to be accepted.",
)
def serve(
    graph_file: Path,
    host: str,
    port: int,
    time_limit: float,
    max_rows: int,
    max_body: int,
    workers: int,
    public_url: str | None,
    cors: tuple[str, ...],
    read_timeout: int,
    max_connections: int,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint (/sparql) with a query page (/), and every
    resource at the path of its IRI (/id/...).

    GET and POST (application/sparql-query or a form), results as SPARQL JSON, XML, CSV or TSV,
    graphs as Turtle, N-Triples, JSON-LD or RDF/XML, by the Accept header or format=; each request
    is parsed first, and updates, LOAD and SERVICE are refused (403); answers stream in chunks;
    named queries at /queries/NAME?PARAMETER=VALUE (a list at /queries); one log line per request
    on the console. Runs on waitress; Ctrl-C stops it with one line.

    A resource's IRI path (/id/action/..., /country/PER) gives its page to a browser and its
    description as Turtle, N-Triples or JSON-LD by the Accept header; /id/dataset is the home page,
    /.well-known/void the dataset's DCAT-AP and VoID description.
    """
    from graph.errors import SocieuxError
    from graph.site.dereference import Site
    from graph.sparql.endpoint.app import ServerOptions, check_public_url
    from graph.sparql.endpoint.app import serve as run_server
    from graph.sparql.endpoint.pool import Limits
    from graph.sparql.store import open_store, store_for

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    source = store_for(graph_file)
    try:
        options = ServerOptions(host, port, check_public_url(public_url), cors, read_timeout, max_connections)
        open_store(source)  # fail here, in one line, rather than in a worker
        site = Site.load(graph_file, logging.getLogger("socieux-kg.serve").info)  # /id/... and the pages
        run_server(source, Limits(time_limit, max_rows, max_body), options, workers, site)
    except SocieuxError as error:
        _fail(error)
    except OSError as error:
        _fail(f"{host}:{port}: cannot listen: {error.strerror or error}")


@main.command()
@click.option(
    "--endpoint",
    required=True,
    help="Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
    "http://localhost:8890/sparql-graph-crud-auth (Virtuoso), http://localhost:3030/ds/data (Fuseki).",
)
@graph_option("Graph file to send (.ttl, .nt, .jsonld, .rdf).")
@click.option(
    "--graph-iri",
    default=PUSHED_GRAPH,
    show_default=True,
    help="Named graph to replace; an empty value replaces the default graph.",
)
@click.option(
    "--retries",
    default=4,
    show_default=True,
    type=click.IntRange(0, 20),
    help="Retries of a request on network errors and 408, 429, 502, 503, 504 answers, with doubling back-off.",
)
@click.option(
    "--chunk-triples",
    default=100_000,
    show_default=True,
    type=click.IntRange(1),
    help="Triples per request; lower it when the store limits the size of a request.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the one-line summary.")
def push(endpoint: str, graph_file: Path, graph_iri: str, retries: int, chunk_triples: int, quiet: bool) -> None:
    """Load the graph into an external triple store (SPARQL 1.1 Graph Store HTTP Protocol).

    The graph goes as N-Triples in requests of --chunk-triples triples: the first replaces the graph
    (PUT), the others add to it (POST); progress goes to stderr. Credentials come from the
    environment: SOCIEUX_KG_PUSH_TOKEN, or SOCIEUX_KG_PUSH_USER and SOCIEUX_KG_PUSH_PASSWORD; the
    store's challenge chooses Bearer, Digest or Basic.
    """
    from graph.errors import SocieuxError
    from graph.sparql.push import push as push_graph

    try:
        say = (lambda message: None) if quiet else _say
        done = push_graph(endpoint, graph_file, graph_iri or None, retries=retries, say=say, chunk=chunk_triples)
    except SocieuxError as error:
        _fail(error)
        return
    target = f"<{graph_iri}>" if graph_iri else "the default graph"
    click.echo(
        f"socieux-kg: pushed {done.triples:,} triples from {graph_file} into {target} at {endpoint} "
        f"in {counted(done.requests, 'request')}, {done.seconds:.1f} s "
        f"({done.rate:,.0f} triples/s; HTTP {done.status})"
    )


# graph.network.VIEWS, repeated here so that --help does not import networkx and rdflib
VIEW_NAMES = ("full", "country-flows", "expert-collaboration", "institutions-themes", "action-chains")


@main.command()
@click.argument("view", type=click.Choice(VIEW_NAMES))
@graph_option("Graph file to draw.")
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="HTML file to write [default: exports/views/VIEW.html].",
)
def viz(view: str, graph_file: Path, out: Path | None) -> None:
    """Write the interactive network page of VIEW: a self-contained HTML file that opens offline.

    The page opens laid out (a map for country-flows); search any name, filter by theme, type of
    assistance, partner region, expert side or country; click a node or link for the actions behind
    it with their evidence; double-click a node for its neighbourhood.

    \b
    full                  actions, institutions, countries, themes, types, organisations, news
    country-flows         expert country -> partner country, weighted by actions (a map)
    expert-collaboration  expert countries whose experts worked on the same actions
    institutions-themes   partner institutions and the themes of their actions
    action-chains         actions linked by follow-up, builds-on and parallel references
    """
    from graph.errors import SocieuxError
    from graph.files import write_atomic
    from graph.network.actions import action_facts
    from graph.network.pages import page
    from graph.network.projection import actions_behind, project
    from graph.sparql.query import load_graph

    target = out or DEFAULT_OUT / "views" / f"{view}.html"
    try:
        graph = load_graph(graph_file)
        g = project(graph, view)
        write_atomic(target, page(g, view, action_facts(graph, actions_behind(g))))
    except SocieuxError as error:
        _fail(error)
        return
    click.echo(f"socieux-kg: wrote {target} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


@main.command()
@graph_option("Graph file to analyse.")
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT / "stats",
    show_default=True,
    help="Folder for the CSV tables and the pictures (country-flows.svg, themes-by-year.svg).",
)
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="Rows to print per table.")
def stats(graph_file: Path, out: Path, top: int) -> None:
    """Print the top expert and partner countries, institutions, themes, types of assistance, the
    most central nodes and the actions per theme per year; write them as CSV and draw the country
    flows (country-flows.svg) and the themes by year (themes-by-year.svg)."""
    from graph.errors import SocieuxError
    from graph.files import write_atomic
    from graph.network import stats as statistics
    from graph.network.projection import country_flows, project
    from graph.sparql.query import load_graph

    try:
        graph = load_graph(graph_file)
        tables = statistics.tables(graph, project(graph, "full"))
        for table in tables:
            write_atomic(out / f"{table.name}.csv", table.csv())
            click.echo(table.text(top))
        # country_flows is what project(graph, "country-flows") runs, typed as the DiGraph flows_svg takes
        write_atomic(out / "country-flows.svg", statistics.flows_svg(country_flows(graph)))
        by_year = next(table for table in tables if table.name == "themes-by-year")
        write_atomic(out / "themes-by-year.svg", statistics.themes_svg(by_year.rows))
    except SocieuxError as error:
        _fail(error)
        return
    click.echo(f"socieux-kg: wrote {len(tables)} tables, country-flows.svg and themes-by-year.svg into {out}/")


@main.command()
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path),
    default=None,
    help="Annotated development set (JSON Lines).  [default: tests/data/annotated.jsonl of the project folder "
    "here, else of the checkout the package was installed from]",
)
@click.option(
    "--seeds",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the seed documents the set refers to.  [default: seeds/ here, else the project's seeds/]",
)
@click.option("--errors", "show_errors", is_flag=True, help="Also list every wrong or missing value.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@themes_model_option()
def evaluate(
    data: Path | None, seeds: Path | None, show_errors: bool, as_json: bool, themes_model: Path | None
) -> None:
    """Score the `actions` table against an annotated development set.

    Builds the graph from the documents the set refers to, runs the `actions` query and prints
    precision, recall and F1 per list column (countries, types, themes, codes, organisations,
    programmes) and accuracy per single-value column, for all entries, the seed entries and the new
    texts; each field on the entries whose gold has it. A theme found counts as right when it is a
    sure, a doubtful or a broader-than-sure gold theme; recall counts the sure ones.
    """
    import json

    from graph.errors import SocieuxError
    from graph.evaluate import SET_FIELDS, format_scores
    from graph.evaluate import evaluate as run_evaluation

    # the set and the seeds of the project folder this runs in, else of the checkout the package was
    # installed from (an editable install); an installed wheel has neither
    places = [Path("."), _checkout()]
    if data is None:
        found = [place / DEFAULT_SET for place in places if (place / DEFAULT_SET).is_file()]
        if not found:
            _fail(f"no annotated set at {DEFAULT_SET} here or in the project: give one with --data FILE.jsonl")
        data = found[0]
    seeds = seeds or next((place / "seeds" for place in places if (place / "seeds").is_dir()), DEFAULT_SEEDS)
    try:
        with _themes_model(themes_model):
            scores, missing = run_evaluation(data, seeds)
    except SocieuxError as error:
        _fail(error)
        return
    if as_json:
        out = {
            kind: {
                name: (
                    {"precision": s.precision, "recall": s.recall, "f1": s.f1}
                    if name in SET_FIELDS
                    else {"accuracy": s.accuracy}
                )
                for name, s in fields.items()
            }
            for kind, fields in scores.items()
        }
        click.echo(json.dumps({"scores": out, "missing": missing}, indent=2))
        return
    click.echo(format_scores(scores), nl=False)
    for entry in missing:
        click.echo(f"not found in the actions table: {entry}")
    if show_errors:
        for name, score in scores["all"].items():
            for wrong in score.errors:
                click.echo(f"{name}: {wrong}")


def _checkout() -> Path:
    """The folder the package was installed from: the project's checkout for an editable install."""
    from graph.vocab import ontology_dir

    return ontology_dir().parent


from graph.curate.command import correct  # noqa: E402 - the commands of their own modules
from graph.diff.command import diff  # noqa: E402
from graph.site.command import site  # noqa: E402
from graph.themes_cli import themes  # noqa: E402

main.add_command(correct)
main.add_command(diff)
main.add_command(site)
main.add_command(themes)


def run() -> None:
    """The console script: Ctrl-C ends any command with one line and exit code 130, no traceback."""
    try:
        code = main.main(standalone_mode=False)
        if _BUILT:
            # every file is written and closed; skip freeing the build's millions of objects one by
            # one at exit (seconds on large inputs)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code if isinstance(code, int) else 0)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("socieux-kg: interrupted; outputs already written are whole, the rest untouched", err=True)
        sys.exit(130)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except Exception as error:  # noqa: BLE001 - a bug, not the input's fault: shown whole, with its own exit code
        _internal_error(error)
    sys.exit(code if isinstance(code, int) else 0)


def _internal_error(error: Exception) -> NoReturn:
    """Print a bug's traceback (a worker process's, where it happened there) and exit with its code."""
    import traceback

    from graph.errors import INTERNAL_ERROR, InternalError

    trace = error.trace if isinstance(error, InternalError) else "".join(traceback.format_exception(error))
    click.echo(trace.rstrip("\n"), err=True)
    click.echo(f"socieux-kg: internal error: {error} (a bug: please report it with the traceback above)", err=True)
    sys.exit(INTERNAL_ERROR)


if __name__ == "__main__":
    run()
