"""The `briefings` command line: each command run, and its exit code; the commands and their
options are described in arguments.py, the work is in pipeline.py.

Exit status: 0 success, 1 content errors (or warnings under --strict), 2 usage errors (an
output folder that may not be written included), 3 the output could not be written (read-only,
disk full); the old output is then kept.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from builder import forked, manifest
from builder.arguments import parser
from builder.errors import BuildFailed, Report, did_you_mean
from builder.options import BadEnvironment, Options, Run, source_date_epoch
from builder.progress import ProgressLine, Stages
from builder.publish import OutputError, UnsafeOutput, check_output

# pipeline.py (and with it Jinja, Babel, markdown-it, pydantic: a third of a second) is imported
# where a command needs it: a `build` with nothing changed since the last one never does.


def _digest(args: argparse.Namespace, options: Options) -> int:
    if args.start and args.end and args.start > args.end:
        print("briefings: error: --from is after --to", file=sys.stderr)
        return 2
    from builder.pipeline import load_model, make_digests

    model = load_model(options)
    known = model.gazetteer.regions
    if args.lang and args.lang not in model.languages:
        hint = did_you_mean(args.lang, model.languages) or "see languages in content/site.yaml"
        print(f"briefings: error: unknown language '{args.lang}' ({hint})", file=sys.stderr)
        return 2
    for slug in args.region:
        if slug not in known:
            hint = did_you_mean(slug, known) or "see content/regions.yaml"
            print(f"briefings: error: unknown region '{slug}' ({hint})", file=sys.stderr)
            return 2
    from builder.digests import Period  # the PDF stage loads WeasyPrint: only when it runs

    langs = [args.lang] if args.lang else []
    result = make_digests(options, args.region, langs, Period(args.start, args.end))
    _print_report(result.report, args.verbose)
    for region in result.empty:
        name = region.name.get(model.default_lang)
        print(f"no briefings on {name} ({region.slug}) in the period: no digest")
    for path in sorted(result.outputs):
        print(f"wrote {options.out_dir / path}")
    return 0


def _print_report(report: Report, verbose: bool) -> None:
    for line in report.summary(verbose=verbose):
        print(line, file=sys.stderr)


def main(argv: Sequence[str] | None = None, *, exits: bool = False) -> int:
    """The command line; `exits`: the process ends when this returns, without Python's
    teardown (__main__.py), so a build need not leave the heap tidy."""
    args = parser().parse_args(argv)
    root: Path = args.root
    if not root.is_dir():
        print(f"briefings: error: --root {root} is not a folder", file=sys.stderr)
        return 2
    try:
        source_date_epoch()
    except BadEnvironment as exc:
        print(f"briefings: error: {exc}", file=sys.stderr)
        return 2
    if args.command == "ingest":
        return _ingest(args)
    if args.command == "regions":
        from builder.ingest.regions_add import add_region  # the national list loads on demand

        return add_region(root, args.place, args.dry_run)
    if args.command == "serve":
        from builder.serve import ServeSettings, serve  # tornado is loaded for serving only

        site = Options(
            root=root, content=args.content, templates=args.templates, strict=args.strict
        )
        return _missing_folder(site) or serve(
            ServeSettings(site, args.host, args.port, args.open, args.pdf, args.verbose)
        )
    options = Options(
        root=root,
        content=args.content,
        templates=args.templates,
        out=getattr(args, "out", None)
        or (root / "build" / "digests" if args.command == "digest" else None),
        drafts=args.drafts,
        strict=args.strict,
        # `digest` and `mail` run the digest stage alone (make_digests), never a site build.
        run=Run.BUILD if args.command == "build" else Run.CHECK,
        pdf=not getattr(args, "no_pdf", False),
        search=getattr(args, "search", True),
        jobs=getattr(args, "jobs", None),
        progress=ProgressLine(sys.stderr),
    )
    if code := _missing_folder(options):
        return code
    if options.jobs and (note := forked.jobs_note(options.jobs)):
        print(f"briefings: {note}", file=sys.stderr)
    try:
        if args.command == "digest":
            return _digest(args, options)
        if args.command == "mail":
            from builder.mail.command import run_mail  # loaded for this command only

            return run_mail(args, options)
        if options.run is Run.BUILD and (reused := manifest.reuse(options)) is not None:
            _print_report(reused.report, args.verbose)
            _print_built(options, reused.outputs, reused.briefings, reused.stages)
            return 0
        from builder.pipeline import build

        result = build(options, last=exits)
    except UnsafeOutput as exc:
        print(f"briefings: error: {exc}", file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"briefings: error: {exc}; the previous output is unchanged", file=sys.stderr)
        return 3
    except BuildFailed as exc:
        _print_report(exc.report, args.verbose)
        n = len(exc.report.errors)
        print(f"briefings: {n} error{'s' if n != 1 else ''}; nothing was written", file=sys.stderr)
        return 1
    _print_report(result.report, args.verbose)
    model = result.model
    count = len(model.briefings) if model else 0
    if options.run is Run.BUILD:
        _print_built(options, len(result.outputs), count, result.stages)
    else:
        print(f"checked {count} briefings: no errors, {len(result.report.warnings)} warnings")
    return 0


def _print_built(options: Options, outputs: int, briefings: int, stages: Stages | None) -> None:
    print(f"built {outputs} files ({briefings} briefings) into {options.out_dir}")
    if stages is not None:
        print(stages.summary())


def _missing_folder(options: Options) -> int:
    """2 (after saying which) when the content or templates folder is not a folder, else 0."""
    for option, folder in (("content", options.content_dir), ("templates", options.templates_dir)):
        if not folder.is_dir():
            hint = f"set --root to the project, or --{option}"
            print(f"briefings: error: {option} {folder} is not a folder ({hint})", file=sys.stderr)
            return 2
    return 0


def _ingest(args: argparse.Namespace) -> int:
    # Imported here: trafilatura and lxml load slowly, and only this command needs them.
    from builder.ingest.run import IngestOptions, ingest

    missing = [p for p in args.sources if not p.exists()]
    if missing:
        print(f"briefings: error: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    try:
        if args.out is not None:
            check_output(args.out, [], replace=False)
    except UnsafeOutput as exc:
        print(f"briefings: error: {exc}", file=sys.stderr)
        return 2
    options = IngestOptions(
        args.root,
        args.out,
        args.region,
        args.lang,
        args.date,
        force=args.force,
        dry_run=args.dry_run,
    )
    return ingest(list(args.sources), options)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
