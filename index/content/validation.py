"""Checks on what a moderator or the CLI hands in, before anything is touched: corpus names,
uploaded file names, encodings, and the content files to read."""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

from index.errors import ContentError
from index.ingest.documents import Document, ReadError
from index.ingest.reading import SUFFIXES
from index.store.snapshots import Snapshot, text_hash

UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".pdf", ".docx")  # the readers take a few more spellings
FILE_TYPES = ", ".join(UPLOAD_SUFFIXES[:-1]) + " or " + UPLOAD_SUFFIXES[-1]  # for help: ".txt, ... or .docx"
MAX_NAME_CHARS = 150
CORPUS_NAME = re.compile(r"^\w[\w.-]{0,99}$")


def check_corpus(name: str) -> str:
    if not isinstance(name, str) or not CORPUS_NAME.match(name):
        raise ContentError(f"{name!r} is not a corpus name: use letters, digits, '.', '-' and '_' "
                           "(up to 100, starting with a letter or digit)")
    return name


def check_filename(filename: str) -> tuple[str, str]:
    """(name, reader kind) of an uploaded file's name, or ContentError: a bare, visible file name
    with a supported suffix, nothing that could point elsewhere or hide."""
    if not isinstance(filename, str) or not filename:
        raise ContentError("the file has no name")
    shown = repr(filename[:MAX_NAME_CHARS])
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in filename):
        raise ContentError(f"the file name {shown} holds control characters")
    if "/" in filename or "\\" in filename or PureWindowsPath(filename).drive:
        raise ContentError(f"the file name {shown} is a path: give the file's own name only")
    if filename in (".", "..") or filename.startswith("."):
        raise ContentError(f"the file name {shown} is hidden or a directory name")
    if filename != filename.strip():
        raise ContentError(f"the file name {shown} begins or ends with spaces")
    if len(filename) > MAX_NAME_CHARS:
        raise ContentError(f"the file name is longer than {MAX_NAME_CHARS} characters")
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ContentError(f"{filename}: unsupported file type {suffix or '(none)'!r}; "
                           f"attach a {', '.join(UPLOAD_SUFFIXES)} file")
    return filename, SUFFIXES[suffix]


def check_size(name: str, size: int, limit: int, setting: str | None = None) -> None:
    """ContentError when a file is over its limit; `setting` names the key that sets it."""
    if size > limit:
        raise ContentError(f"{name} is {size:,} bytes; the limit is {limit:,}" + (f" ({setting})" if setting else ""))


def as_utf8(data: bytes) -> bytes:
    """UTF-16 files (with their byte-order mark) in UTF-8, the one encoding the readers take."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec).encode("utf-8")
            except UnicodeDecodeError:
                raise ReadError("the file starts like UTF-16 text but is not valid UTF-16") from None
    return data


def no_such_file(path: Path) -> ReadError:
    return ReadError(f"{path}: no such file or folder")


def file_size(path: Path) -> int:
    """A file's size before it is read; ReadError when it is missing or cannot be reached."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        raise no_such_file(path) from None
    except OSError as exc:
        raise ReadError(f"{path}: cannot read: {exc.strerror or exc}") from None


def source_files(sources: list[Path]) -> list[Path]:
    """Every supported file under the given files and folders, in a stable order (hidden ones skipped)."""
    files: list[Path] = []
    for source in map(Path, sources):
        if source.is_dir():
            files.extend(sorted(f for f in source.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                                and not any(part.startswith(".") for part in f.relative_to(source).parts)))
        elif source.is_file():
            files.append(source)
        else:
            raise no_such_file(source)
    seen: dict[str, Path] = {}
    for path in files:
        if path.name in seen:
            raise ReadError(f"two documents are named {path.name!r}: {seen[path.name]} and {path}")
        seen[path.name] = path
    return files


def refuse_duplicate(live: Snapshot | None, doc: Document, corpus: str, added: dict[str, str] | None = None) -> None:
    """A document whose text or name the corpus has already (the live version's documents, read
    in the store, then `added`: name -> text hash of those added in the same change) is refused."""
    sha = text_hash(doc.text)
    clash = live.documents.clashing(doc.name, sha) if live else None
    if clash is None:
        clash = next(((name, other == sha) for name, other in (added or {}).items()
                      if other == sha or name == doc.name), None)
    if clash is None:
        return
    name, same_text = clash
    if same_text:
        raise ContentError(f"{doc.name} is already in corpus {corpus}"
                           + (" (same text)" if name == doc.name else f" as {name} (same text)"))
    raise ContentError(f"corpus {corpus} already has a document named {doc.name}: "
                       "remove it first, or give the file another name")
