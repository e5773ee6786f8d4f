"""Speed at archive scale, side by side with Hugo: `make bench-speed` (BRIEFINGS=2000 by default).

`.venv/bin/python tests/bench/bench_speed.py [--briefings N] [--seed S] [--saves K] [--keep]`

On a synthetic archive (tests/bench/corpus.py, deterministic per seed) it runs, each as its own
process so peak memory is that process's own:
- `briefings build --no-pdf --no-search` cold (no .cache/, no site/), warm (nothing changed: the
  no-op check of builder/manifest.py), warm after a briefing is saved with the same bytes (the
  whole warm build: sources read, outputs' signatures checked) and after each of three edits of
  one briefing (the publish stage differs: see main());
- `briefings serve`: save one briefing, wait for the server's "reload" on the live-reload socket
  (as an open tab does), then GET its page over real HTTP (save → served; if that page were
  still the old one the bench polls and says so), then check that the region, topic and home
  listings, the feed and the sitemap are right at that moment;
- Hugo (`hugo`, Debian's 0.111) on the same content (tests/bench/hugo_site.py), cold and again.
Prints wall time and peak RSS for each, and ratios to Hugo's cold build. It asserts nothing:
machines are shared, so compare the ratios of one run, never absolute times between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from tornado import httpclient, websocket

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests import servehelp  # noqa: E402
from tests.bench.corpus import Corpus, edit_briefing, make_corpus  # noqa: E402
from tests.bench.hugo_site import make_hugo_site  # noqa: E402
from tests.servehelp import Server  # noqa: E402

BRIEFINGS = [sys.executable, "-m", "builder"]


@dataclass(frozen=True)
class Run:
    label: str
    seconds: float
    peak_mb: float
    note: str = ""
    cpu: float = 0.0  # user + system seconds of the process: less swayed by other jobs


def timed(label: str, argv: list[str], cwd: Path, note: str = "") -> Run:
    """Run a command to its end; wall time and the peak RSS of that process (wait4's rusage)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(output.decode("utf-8", "replace")[-4000:])
        raise SystemExit(f"{label}: {' '.join(argv)} failed with status {proc.returncode}")
    last = output.decode("utf-8", "replace").strip().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(label, elapsed, usage.ru_maxrss / 1024, note or (last[-1] if last else ""), cpu)


def build_argv(project: Path) -> list[str]:
    return [*BRIEFINGS, "build", "--root", str(project), "--no-pdf", "--no-search"]


class ReloadListener:
    """A browser tab's side of the live-reload socket: the times the server said "reload"."""

    def __init__(self, server: Server) -> None:
        self.url = f"ws://{server.host}:{server.port}/livereload"
        self.origin = f"http://{server.host}:{server.port}"
        self.reloads: list[float] = []
        self.ready = threading.Event()
        self.changed = threading.Condition()
        threading.Thread(target=asyncio.run, args=(self._listen(),), daemon=True).start()
        if not self.ready.wait(60):
            raise SystemExit("the live-reload socket did not answer")

    async def _listen(self) -> None:
        request = httpclient.HTTPRequest(self.url, headers={"Origin": self.origin})
        conn = await websocket.websocket_connect(request)
        hello = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
        await conn.write_message(json.dumps(hello))
        await conn.read_message()
        await conn.write_message(json.dumps({"command": "info", "url": self.origin + "/"}))
        self.ready.set()
        while (message := await conn.read_message()) is not None:
            if json.loads(message).get("command") == "reload":
                with self.changed:
                    self.reloads.append(time.perf_counter())
                    self.changed.notify_all()

    def after(self, started: float, deadline: float = 600.0) -> float:
        """The time of the first reload after `started`."""
        with self.changed:
            self.changed.wait_for(lambda: any(t > started for t in self.reloads), deadline)
            return next(t for t in self.reloads if t > started)


def serve_run(corpus: Corpus, saves: int) -> list[Run]:
    """Save → served in `briefings serve`, as an open tab sees it: the save, the server's
    "reload" on the live-reload socket, then one GET of the page, which must show the save (the
    bench then polls, and says so). Then the listings are checked, and the time the last of them
    was answered is noted (the preview holds requests for lists it is still re-rendering)."""
    servehelp.DEADLINE = 3600.0  # the first build of a large archive takes minutes
    server = Server(corpus.root, env={"SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"]})
    runs = []
    try:
        server.wait_for_page(corpus.newest_url, "<h1")
        tab = ReloadListener(server)
        text = corpus.newest.read_text("utf-8")
        region = text.split("\nregion: ", 1)[1].split("\n", 1)[0]
        topic = text.split("\ntopics: [", 1)[1].split("]", 1)[0].split(",")[0].strip()
        year = text.split("\ndate: ", 1)[1][:4]
        listings = ["/en/", "/en/feed.xml", f"/en/archive/{year}/", f"/en/topics/{topic}/"]
        for k in range(saves):
            time.sleep(0.5)  # its own burst: the watcher must not merge two saves
            title = edit_briefing(corpus.newest, f"save {k}")
            started = time.perf_counter()
            reload = tab.after(started) - started
            polled = ""
            while title not in server.get(corpus.newest_url).body:
                polled = " (the page after the reload was stale: polled)"
                time.sleep(0.005)
            served = time.perf_counter() - started
            stale = [url for url in listings if title not in server.get(url).body]
            region_page = [u for u in _region_urls(server, region) if title not in u[1]]
            stale += [u for u, _ in region_page]
            if (
                "<loc>https://bench.example.org" + corpus.newest_url
                not in server.get("/sitemap.xml").body
            ):
                stale.append("/sitemap.xml")
            # The preview holds a request for a list it is still re-rendering (serve.py), so
            # this is when the last of them had been answered.
            listed = time.perf_counter() - started
            shown = "home, region and ancestors' pages, topic, year, feed, sitemap"
            note = f"right: {shown}" if not stale else f"STALE: {', '.join(stale)}"
            note = f"reload sent at {reload:.3f} s; {note} by {listed:.3f} s{polled}"
            runs.append(Run(f"serve: save {k + 1} → served", served, 0.0, note))
        said = [line for line in server.lines if line.startswith(("built ", "saved page ready"))]
        for line in said[-2 * saves :]:
            print(f"  server: {line}")
    finally:
        server.stop()
    return runs


def _region_urls(server: Server, region: str) -> list[tuple[str, str]]:
    """The English pages of `region` and of each region above it (a region's URL is its lineage
    of slugs), with their bodies: each lists the newest briefing first."""
    regions = yaml.safe_load((server.root / "content" / "regions.yaml").read_text("utf-8"))
    chain = [region]
    while regions[chain[-1]].get("parent"):
        chain.append(regions[chain[-1]]["parent"])
    lineage = list(reversed(chain))
    urls = ["/en/regions/" + "/".join(lineage[: n + 1]) + "/" for n in range(len(lineage))]
    return [(url, server.get(url).body) for url in urls]


def hugo_runs(corpus: Corpus, where: Path) -> list[Run]:
    hugo = shutil.which("hugo")
    if hugo is None:
        return []
    site = where / "hugo"
    make_hugo_site(corpus.root / "content", site)
    argv = [hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")]
    cold = timed("hugo: cold", argv, site)
    again = timed("hugo: again", argv, site)
    files = sum(1 for p in (site / "public").rglob("*") if p.is_file())
    return [cold, Run(again.label, again.seconds, again.peak_mb, f"{files} files", again.cpu)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefings", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--saves", type=int, default=3, help="saves measured in the preview")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    tmp = Path(tempfile.mkdtemp(prefix="bench-speed-"))
    try:
        project = tmp / "project"
        corpus = make_corpus(project, args.briefings, seed=args.seed)
        shutil.copytree(REPO / "templates", project / "templates")
        print(
            f"synthetic archive: {corpus.briefings} briefings, {corpus.translations} translated, "
            f"{corpus.regions} regions, {corpus.files} files (seed {args.seed}); "
            f"{os.cpu_count()} cores",
            flush=True,
        )
        runs = [timed("briefings: cold", build_argv(project), project)]
        runs.append(timed("briefings: warm", build_argv(project), project))
        # A file saved with the same bytes: the no-op check fails (its stamp changed), so this is
        # the whole warm build, every source read and every output's signature checked.
        corpus.newest.write_bytes(corpus.newest.read_bytes())
        runs.append(timed("briefings: warm, touched", build_argv(project), project))
        # The first edited build writes a new staging folder (there is no spare yet); the second
        # syncs the spare of the cold build (no stamps recorded: files read); from the third on
        # the spare is synced by its stamps: what an editor's builds cost from then on.
        for label in ("one edit", "another edit", "a third edit"):
            edit_briefing(corpus.newest, label)
            runs.append(timed(f"briefings: {label}", build_argv(project), project))
        runs += serve_run(corpus, args.saves)
        hugo = hugo_runs(corpus, tmp)
        runs += hugo
        _print(runs, hugo[0] if hugo else None)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _print(runs: list[Run], hugo: Run | None) -> None:
    print(
        f"{'':28} {'wall':>9} {'÷ hugo':>7} {'cpu':>8} {'÷ hugo':>7} {'peak RSS':>9} {'÷ hugo':>7}"
        "  note"
    )
    for r in runs:

        def ratio(mine: float, theirs: float) -> str:
            return f"{mine / theirs:.2f}" if hugo is not None and mine and theirs else ""

        t = ratio(r.seconds, hugo.seconds if hugo else 0)
        c = ratio(r.cpu, hugo.cpu if hugo else 0)
        m = ratio(r.peak_mb, hugo.peak_mb if hugo else 0)
        cpu = f"{r.cpu:7.2f}s" if r.cpu else ""
        mem = f"{r.peak_mb:.0f} MB" if r.peak_mb else ""
        print(f"{r.label:28} {r.seconds:8.3f}s {t:>7} {cpu:>8} {c:>7} {mem:>9} {m:>7}  {r.note}")
    if hugo is None:
        print("hugo is not installed: ratios unavailable (as root, `make bench-speed` installs it)")
    print("cpu: user + system time of the process, a fairer ratio on a machine other jobs load")


if __name__ == "__main__":
    sys.exit(main())
