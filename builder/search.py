"""Full-text search: a Pagefind index of the rendered pages, one index per language.

Pagefind reads HTML files from a folder, so the rendered pages are written to a scratch
folder, indexed there, and the bundle is read back into the outputs under `pagefind/`; the
output folder itself is still written only by `publish`. Pagefind splits its index by each
page's `<html lang>` (`en`, `zh-hans`), and the extended build segments Chinese into words, so
that 姜堰 matches inside 姜堰区加快推进… . Only `data-pagefind-body` elements (the briefing
articles) are indexed; filters come from `data-pagefind-filter` attributes in the templates.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import posixpath
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from builder import scratch
from builder.errors import Report

# The pages are copied here for Pagefind (builder/scratch.py: a killed run's copy is removed).
SCRATCH_PREFIX = "briefings-search-"
BUNDLE = "pagefind"  # output folder of the search bundle, and the URL prefix /pagefind/
TIMEOUT = 300  # seconds; a site of thousands of pages indexes in a few


class SearchUnavailable(RuntimeError):
    """The Pagefind binary is not installed (the `pagefind[extended]` package ships it)."""


def pagefind_binary() -> Path:
    # The extended binary only: the standard one indexes Chinese text as single characters.
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]
    except ImportError as exc:
        raise SearchUnavailable(
            "the Pagefind extended binary is missing: pip install 'pagefind[extended]' "
            "(make site does), or build with --no-search"
        ) from exc
    path: Path = get_executable()
    return path


def index_pages(
    outputs: dict[str, bytes],
    report: Report,
    *,
    root: Path,
    between: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """The search bundle for the HTML pages in `outputs`, as `{pagefind/...: bytes}`.

    Problems are reported against `root` (the project), since they concern no content file.
    `between` is called before each page is copied out and before the bundle is read back:
    the preview waits there while a rebuild runs (this Python work shares the interpreter's
    lock with it; at 20,000 briefings it is 45,000 files each way).
    """
    try:
        binary = pagefind_binary()
    except SearchUnavailable as exc:
        report.error(root, 1, 1, f"search: {exc}")
        return {}
    scratch.remove_stale(SCRATCH_PREFIX)
    tmp = scratch.make(SCRATCH_PREFIX)
    try:
        return _index_folder(outputs, report, root, binary, tmp / "site", between)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _index_folder(
    outputs: dict[str, bytes],
    report: Report,
    root: Path,
    binary: Path,
    site: Path,
    between: Callable[[], None] | None,
) -> dict[str, bytes]:
    """Pagefind run on a copy of the pages in `site`, its bundle read back."""
    for rel, data in sorted(outputs.items()):
        if rel.endswith(".html"):
            if between is not None:
                between()
            target = site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    command = [str(binary), "--site", str(site), "--output-subdir", BUNDLE, "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        report.error(root, 1, 1, f"search: could not run Pagefind: {exc}")
        return {}
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        report.error(
            root,
            1,
            1,
            f"search: Pagefind failed with status {done.returncode}",
            detail[-1] if detail else "",
        )
        return {}
    bundle = site / BUNDLE
    if between is not None:
        between()
    files = {
        f"{BUNDLE}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
        for path in sorted(bundle.rglob("*"))
        if path.is_file()
    }
    return canonical_bundle(files)


# Pagefind 1.5 writes each filter's values, and the languages of pagefind-entry.json, in
# hash-map order, which changes from run to run; so would the file names, which are content
# hashes. The builds are meant to be reproducible, so the bundle is put in a canonical form:
# filter values sorted (the search page also lists them in this order), filter and meta files
# renamed after their new content, and references to them rewritten. Names keep their length,
# so a reference inside a CBOR meta file is replaced byte for byte without re-encoding it.
SIGNATURE = b"pagefind_dcd"


def canonical_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    files = dict(files)
    renames: dict[str, str] = {}
    prefix = f"{BUNDLE}/filter/"
    for path in sorted(p for p in files if p.startswith(prefix) and p.endswith(".pf_filter")):
        data = _sorted_filter(gzip.decompress(files.pop(path)))
        old = posixpath.basename(path).removesuffix(".pf_filter")
        renames[old] = _rehash(old, data)
        files[f"{prefix}{renames[old]}.pf_filter"] = gzip.compress(data, mtime=0)
    entry_path = f"{BUNDLE}/pagefind-entry.json"
    entry = json.loads(files[entry_path])
    for info in entry["languages"].values():
        old = info["hash"]
        data = _sorted_meta(gzip.decompress(files.pop(f"{BUNDLE}/pagefind.{old}.pf_meta")))
        for before, after in sorted(renames.items()):
            data = data.replace(before.encode(), after.encode())
        info["hash"] = _rehash(old, data)
        files[f"{BUNDLE}/pagefind.{info['hash']}.pf_meta"] = gzip.compress(data, mtime=0)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    files[entry_path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return dict(sorted(files.items()))


def _rehash(name: str, data: bytes) -> str:
    """`en_b8707fb` -> `en_<hash of data>`, with a hash part as long as the old one."""
    lang, _, old = name.rpartition("_")
    return f"{lang}_{hashlib.sha256(data).hexdigest()[: len(old)]}"


def _sorted_filter(data: bytes) -> bytes:
    """A filter file, [name, [[value, [page, ...]], ...]] in CBOR, with its values sorted."""
    pair = _cbor_items(data, _body(data))
    return _sort_array(data, pair[1][0], key=_first_text)


def _sorted_meta(data: bytes) -> bytes:
    """A meta file, [version, pages, index chunks, filters, sorts, fields] in CBOR, with its
    filters ([name, file] pairs) sorted by name."""
    parts = _cbor_items(data, _body(data))
    return _sort_array(data, parts[3][0], key=_first_text)


def _body(data: bytes) -> int:
    if not data.startswith(SIGNATURE):
        raise ValueError("not a Pagefind index file")
    return len(SIGNATURE)


def _first_text(data: bytes) -> str:
    """The first text string inside an encoded [text, ...] array."""
    _, _, at = _cbor_head(data, 0)
    _, length, start = _cbor_head(data, at)
    return data[start : start + length].decode()


def _sort_array(data: bytes, at: int, key: Callable[[bytes], str]) -> bytes:
    """`data` with the elements of the CBOR array at offset `at` sorted by `key`."""
    items = _cbor_items(data, at)
    start, end = (items[0][0], items[-1][1]) if items else (at, at)
    ordered = sorted((data[a:b] for a, b in items), key=lambda item: (key(item), item))
    return data[:start] + b"".join(ordered) + data[end:]


def _cbor_items(data: bytes, at: int) -> list[tuple[int, int]]:
    """(start, end) offsets of the elements of the CBOR array at `at`."""
    major, count, pos = _cbor_head(data, at)
    if major != 4:
        raise ValueError("not a CBOR array")
    items = []
    for _ in range(count):
        end = _cbor_end(data, pos)
        items.append((pos, end))
        pos = end
    return items


def _cbor_head(data: bytes, i: int) -> tuple[int, int, int]:
    """(major type, argument, offset after the head) of the CBOR item at `i`."""
    major, info = data[i] >> 5, data[i] & 31
    if info < 24:
        return major, info, i + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
    return major, int.from_bytes(data[i + 1 : i + 1 + size], "big"), i + 1 + size


def _cbor_end(data: bytes, i: int) -> int:
    """The offset just after the CBOR item at `i` (integers, strings, arrays and maps)."""
    major, arg, i = _cbor_head(data, i)
    if major in (0, 1, 7):
        return i
    if major in (2, 3):
        return i + arg
    for _ in range(arg * (2 if major == 5 else 1)):
        i = _cbor_end(data, i)
    return i
