"""The floor of a cold build with this project's libraries, beside Hugo: `make bench-floor`.

`.venv/bin/python tests/bench/bench_floor.py [--briefings N] [--seed S]`

Issue 13 asks for a cold build in no more time than Hugo's. This prints what the chosen
libraries alone cost on the synthetic archive (tests/bench/corpus.py), each measured by itself:
- the interpreter starting and importing jinja2, PyYAML, markdown-it-py, markdown-it-pyrs,
  pydantic and Babel (nothing of builder/);
- PyYAML's `CSafeLoader` on every front-matter, and nothing else of the load;
- Jinja's rendering of every output, timed inside a cold `--jobs 1` build around
  `render_template` (the contexts come prepared by page_data.py and layout.py: not counted);
- markdown-it-pyrs on every body, without the project's link and heading work;
- writing every file of the built site into an empty folder.
It also times the page data (page_data.py and layout.py making the templates' contexts), the
first of the project's own work, and adds it to the floor.

It adds them up as two cores would run them (the interpreter and imports serial, the rest
shared), and sets the sum beside the whole cold build and Hugo's cold build of the same content.
The difference between the floor and the whole build is the project's own work: validation,
site model, page data, feeds, signatures for the next build.

The archive goes to /dev/shm when there is one, so that the disk does not blur the figures. It
asserts nothing: compare the figures of one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from builder import cli, forked, render_html  # noqa: E402
from tests.bench.corpus import make_corpus  # noqa: E402
from tests.bench.hugo_site import make_hugo_site  # noqa: E402

LIBRARIES = "import jinja2, yaml, markdown_it, markdown_it_pyrs, mdit_py_plugins, pydantic"
LIBRARIES += ", babel.numbers, babel.dates"


def best_of(runs: int, argv: list[str], cwd: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return min(times)


def cold_builds(runs: int, project: Path) -> float:
    """The best wall time of `runs` cold builds in their own processes (every core)."""
    argv = [sys.executable, "-m", "builder", "build", "--root", str(project)]
    times = []
    for _ in range(runs):
        for made in (project / "site", project / ".cache"):
            shutil.rmtree(made, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(
            [*argv, "--no-pdf", "--no-search"], cwd=REPO, check=True, capture_output=True
        )
        times.append(time.perf_counter() - started)
    return min(times)


def timed_in_a_build(project: Path) -> tuple[dict[str, float], float]:
    """CPU seconds inside Jinja's `render_template` and inside the page data (`page_data`,
    `layout`: the contexts the templates are fed), and the wall seconds of the whole build, of
    a cold build in one process."""
    spent = {"jinja": 0.0, "page data": 0.0}
    reals = {
        "render_template": ("jinja", render_html.render_template),
        "page_data": ("page data", render_html.page_data),
        "layout": ("page data", render_html.layout),
    }

    def timing(part: str, real: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return real(*args, **kwargs)
            finally:
                spent[part] += time.process_time() - started

        return timed

    for name, (part, real) in reals.items():
        setattr(render_html, name, timing(part, real))
    try:
        started = time.perf_counter()
        argv = ["build", "--root", str(project), "--no-pdf", "--no-search", "--jobs", "1"]
        cli.main(argv)
        return spent, time.perf_counter() - started
    finally:
        for name, (_, real) in reals.items():
            setattr(render_html, name, real)


def front_matters(project: Path) -> tuple[list[str], list[str]]:
    heads, bodies = [], []
    for path in sorted((project / "content" / "articles").rglob("*.md")):
        _, head, body = path.read_text("utf-8").split("---\n", 2)
        heads.append(head)
        bodies.append(body)
    return heads, bodies


def cpu(work: Any) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def write_all(site: Path, dest: Path) -> float:
    files = [(p.relative_to(site), p.read_bytes()) for p in site.rglob("*") if p.is_file()]
    started = time.perf_counter()
    for relative, data in files:
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefings", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    base = "/dev/shm" if Path("/dev/shm").is_dir() else None
    tmp = Path(tempfile.mkdtemp(prefix="bench-floor-", dir=base))
    try:
        project = tmp / "project"
        corpus = make_corpus(project, args.briefings, seed=args.seed)
        shutil.copytree(REPO / "templates", project / "templates")
        cores = forked.cores()
        print(
            f"synthetic archive: {corpus.briefings} briefings in {tmp}; {cores} cores", flush=True
        )

        imports = best_of(5, [sys.executable, "-c", LIBRARIES])
        heads, bodies = front_matters(project)
        loader = yaml.CSafeLoader
        parse = cpu(lambda: [yaml.load(head, Loader=loader) for head in heads])
        from builder import markdown_fast

        parser_rs = markdown_fast._PARSER if markdown_fast.markdown_it_pyrs is not None else None
        markdown = cpu(lambda: [parser_rs.render(b) for b in bodies]) if parser_rs else 0.0
        spent, one_process = timed_in_a_build(project)
        jinja, page_data = spent["jinja"], spent["page data"]
        write = write_all(project / "site", tmp / "written")
        whole = cold_builds(3, project)

        hugo = shutil.which("hugo")
        hugo_cold = None
        if hugo is not None:
            site = tmp / "hugo"
            make_hugo_site(project / "content", site)
            hugo_cold = best_of(
                3, [hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")]
            )

        shared = parse + jinja + markdown + write
        floor = imports + shared / cores
        rows = [
            ("interpreter + library imports (wall, best of 5)", imports),
            (f"CSafeLoader on {len(heads)} front-matters (CPU)", parse),
            ("Jinja render_template, every output (CPU)", jinja),
            (f"markdown-it-pyrs on {len(bodies)} bodies (CPU)", markdown),
            ("writing every file of the site (wall)", write),
            (f"floor on {cores} cores: imports + the rest / {cores}", floor),
            ("page data and layout, every output (CPU)", page_data),
            (f"floor + page data on {cores} cores", floor + page_data / cores),
            ("whole cold build, --jobs 1 (wall, in this process)", one_process),
            (f"whole cold build, {cores} processes (wall, best of 3)", whole),
        ]
        if hugo_cold is not None:
            rows.append(("hugo cold (wall, best of 3)", hugo_cold))
        for label, seconds in rows:
            ratio = f"{seconds / hugo_cold:6.2f}" if hugo_cold else ""
            print(f"{label:58} {seconds:7.3f} s {ratio}")
        if hugo_cold is not None:
            print("last column: ÷ hugo cold")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
