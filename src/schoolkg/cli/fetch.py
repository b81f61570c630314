"""`schoolkg fetch`: download schools' inspection reports from Ofsted's reports service into a cache."""

from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import app


class URN(str):
    """A school URN, or an Ofsted provider link holding one, as typed (checked by the fetch stage)."""


@app.command()
def fetch(
    urns: Annotated[
        list[URN] | None, typer.Argument(metavar="URN", parser=URN, help="School URNs (or Ofsted provider links).")
    ] = None,
    from_files: Annotated[
        list[Path] | None,
        typer.Option("--from", help="A file of URNs (one a line), or an Ofsted table with URN / Web Link columns."),
    ] = None,
    cache: Annotated[Path, typer.Option("--cache", help="Cache folder: documents/ and manifest.jsonl.")] = Path(
        "cache/ofsted"
    ),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be fetched; download nothing.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="Fetch at most N documents this run.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only reports published after DATE (YYYY-MM-DD).")
    ] = None,
    on_error: Annotated[
        str, typer.Option("--on-error", help="skip (record the failure, carry on) or fail (stop at the first).")
    ] = "skip",
    rate: Annotated[float, typer.Option("--rate", help="Requests a second, at most.")] = 1.0,
    contact: Annotated[
        str | None,
        typer.Option("--contact", envvar="SCHOOLKG_CONTACT", help="Your e-mail or URL, sent in the User-Agent."),
    ] = None,
    base_url: Annotated[
        str, typer.Option("--base-url", envvar="SCHOOLKG_OFSTED_URL", help="The reports service's address.")
    ] = "https://reports.ofsted.gov.uk",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to connect, and between reads.")] = 30.0,
    retries: Annotated[int, typer.Option("--retries", help="Retries on 429, 5xx and timeouts.")] = 5,
    progress: Annotated[str, typer.Option("--progress", help="plain (a line a step on stderr) or none.")] = "plain",
) -> None:
    """Download each school's inspection reports into a cache folder with a manifest (needs the internet).

    Resumable: a rerun skips what the manifest lists and the sha256 confirms. Polite: about one
    request a second, retries with backoff, honours Retry-After and robots.txt, and stops when
    refused repeatedly. See docs/fetch.md (the service's terms and Ofsted's copyright apply).

    Example: schoolkg fetch --from ../shared/data/ofsted/oxfordshire-outcomes-2017-12-31.csv --limit 20
    --contact you@example.org
    """
    import sys

    from schoolkg.errors import ConfigError, InputError
    from schoolkg.fetch import Counts, FetchOptions, Policy, Service, fetch_reports, merge_targets, read_targets
    from schoolkg.fetch.targets import parse_date, targets_from_args

    if progress not in ("plain", "none"):
        raise ConfigError(f"unknown --progress {progress!r}; use plain or none")
    targets = targets_from_args(urns or [])
    for path in from_files or []:
        targets += read_targets(path)
    if not targets:
        raise InputError("no schools to fetch: give URNs or --from FILE")
    targets = merge_targets(targets)
    since_date = None
    if since is not None:
        try:
            since_date = parse_date(since, "--since")
        except InputError as err:
            raise ConfigError(str(err)) from None
    options = FetchOptions(dry_run=dry_run, limit=limit, since=since_date, on_error=on_error)
    policy = Policy(rate=rate, timeout=timeout, retries=retries)

    def plain(event: str, c: Counts) -> None:
        head = f"found {c.found} fetched {c.fetched} skipped {c.skipped} failed {c.failed}"
        print(f"progress: school {c.schools}/{len(targets)} {head}: {event}", file=sys.stderr, flush=True)

    summary = fetch_reports(
        targets,
        cache,
        service=Service(base_url),
        policy=policy,
        contact=contact,
        options=options,
        progress=plain if progress == "plain" else None,
    )
    for p in summary.planned:
        when = p.link.published or p.link.inspection_date
        typer.echo(f"{p.urn}\t{when or 'undated'}\t{p.link.report_type}\t{p.link.url}\t{p.path}")
    for f in summary.failures:
        typer.echo(f"failed: {f.urn} {f.source_url}: {f.reason}", err=True)
    c = summary.counts
    verb = "would fetch" if dry_run else "fetched"
    done = len(summary.planned) if dry_run else c.fetched
    extra = f", {c.excluded} published before --since" if since_date else ""
    extra += f", {c.refetched} re-fetched (file missing or changed)" if c.refetched else ""
    extra += f", {summary.removed_parts} partial files removed" if summary.removed_parts else ""
    typer.echo(
        f"{c.schools} of {summary.schools} schools, {c.found} reports found: {verb} {done} "
        f"({c.bytes / 1e6:.1f} MB), {c.skipped} already cached, {c.failed} failed{extra}; "
        f"{summary.requests} requests in {summary.seconds:.1f}s"
        + ("" if dry_run else f" -> {cache / 'manifest.jsonl'}")
    )
