"""The English catalogues (planwatch/<app>/locale/en and planwatch/locale/en for the project's
templates): every entry translated and none fuzzy, placeholders kept, the committed .mo files
compiled from the .po files beside them (CI machines have no gettext to compile them), and a
Chinese string shared by several catalogues translated the same way in each — Django merges
the catalogues into one, so only one of two different translations would ever be shown."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

PACKAGE = Path(settings.BASE_DIR)
CATALOGUES = sorted(PACKAGE.glob("**/locale/en/LC_MESSAGES/django.po"))
# Apps whose pages, forms or messages reach users; each has its own catalogue.
APPS = [
    "accounts",
    "api",
    "audit",
    "core",
    "dashboards",
    "orgunits",
    "plans",
    "reports",
    "search",
    "supervision",
    "tasks",
    "indicators",
    "projects",
    "assessment",
    "publication",
    "portal",
    "documents",
    "notices",
    "surveys",
    "intake",
]
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[sdif]|%%")
IDS = [str(p.relative_to(PACKAGE)) for p in CATALOGUES]


@dataclass
class Entry:
    """One message of a PO file; `msgstr` holds one string per plural form."""

    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def read_po(path: Path) -> list[Entry]:
    """The entries of `path`, the header and obsolete (#~) entries left out. A small reader
    of the subset of the format that xgettext and msgmerge write."""
    entries: list[Entry] = []
    entry, key = Entry(), ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if key.startswith("msgstr"):  # the flags open the next entry
                entries.append(entry)
                entry, key = Entry(), ""
            entry.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if line.startswith('"'):
            word, rest = key, line
        elif word in ("msgctxt", "msgid") and key.startswith("msgstr"):
            entries.append(entry)
            entry = Entry()
        text = ast.literal_eval(rest)
        if word != key:
            entry.line = entry.line or number
        key = word
        if word == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + text
        elif word == "msgid":
            entry.msgid += text
        elif word == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + text
        elif word == "msgstr":
            entry.msgstr[0] = entry.msgstr.get(0, "") + text
        elif word.startswith("msgstr["):
            n = int(word[7:-1])
            entry.msgstr[n] = entry.msgstr.get(n, "") + text
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    if key.startswith("msgstr"):
        entries.append(entry)
    return [e for e in entries if e.msgid]


def _where(path: Path, entry: Entry) -> str:
    return f"{path.relative_to(PACKAGE)}:{entry.line} {entry.msgid!r}"


def test_every_app_with_user_facing_strings_has_a_catalogue() -> None:
    expected = {PACKAGE / app / "locale/en/LC_MESSAGES/django.po" for app in APPS}
    expected.add(PACKAGE / "locale/en/LC_MESSAGES/django.po")  # planwatch/templates
    assert expected <= set(CATALOGUES)


def test_the_reader_reads_what_gettext_writes(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: en\\n"\n\n#: a.html:1\n#, fuzzy\nmsgctxt "button"\n'
        'msgid ""\n"删"\n"除"\nmsgstr "Delete"\n\nmsgid "%(n)s 项"\nmsgid_plural "%(n)s 项"\n'
        'msgstr[0] "%(n)s item"\nmsgstr[1] ""\n\n#~ msgid "旧"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    first, second = read_po(po)
    assert (first.msgctxt, first.msgid, first.msgstr, first.flags) == (
        "button",
        "删除",
        {0: "Delete"},
        {"fuzzy"},
    )
    assert second.msgid_plural == "%(n)s 项" and second.msgstr == {0: "%(n)s item", 1: ""}


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_every_entry_is_translated_and_none_is_fuzzy(path: Path) -> None:
    entries = read_po(path)
    assert entries, f"{path} has no entries"
    fuzzy = [_where(path, e) for e in entries if "fuzzy" in e.flags]
    # English has two plural forms (the header's Plural-Forms: nplurals=2).
    empty = [
        _where(path, e)
        for e in entries
        if not all(e.msgstr.get(n) for n in ((0, 1) if e.msgid_plural else (0,)))
    ]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not empty, f"untranslated entries: {empty}"


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_translations_keep_their_placeholders(path: Path) -> None:
    wrong = []
    for e in read_po(path):
        wanted = {tuple(sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid)))}
        if e.msgid_plural:  # the singular may leave the count out ("One task")
            wanted.add(tuple(sorted(PLACEHOLDER.findall(e.msgid))))
        for text in e.msgstr.values():
            if tuple(sorted(PLACEHOLDER.findall(text))) not in wanted:
                wrong.append(f"{_where(path, e)} → {text!r}")
    assert not wrong, f"placeholders changed: {wrong}"


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_msgfmt_accepts_the_catalogue(path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed: the reader's checks stand alone")
    result = subprocess.run(
        [msgfmt, "--check", "--output-file=/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _key(e: Entry) -> str:
    return e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_the_committed_mo_is_compiled_from_the_po(path: Path) -> None:
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    entries = read_po(path)
    catalog: dict[str | tuple[str, int], str] = getattr(compiled, "_catalog")  # noqa: B009
    ids_in_mo = {k[0] if isinstance(k, tuple) else k for k in catalog} - {""}
    assert ids_in_mo == {_key(e) for e in entries}, "the .mo is stale: run compilemessages"
    for e in entries:
        if e.msgid_plural is None:
            got = (
                compiled.gettext(e.msgid)
                if e.msgctxt is None
                else compiled.pgettext(e.msgctxt, e.msgid)
            )
            assert got == e.msgstr[0], f"{_where(path, e)}: the .mo says {got!r}"
        else:
            got_n = {
                n: compiled.ngettext(e.msgid, e.msgid_plural, 1 if n == 0 else 2) for n in (0, 1)
            }
            assert got_n == e.msgstr, f"{_where(path, e)}: the .mo says {got_n!r}"


def test_a_string_shared_by_catalogues_has_one_translation() -> None:
    seen: dict[str, dict[str, str]] = {}
    for path in CATALOGUES:
        for e in read_po(path):
            translation = " | ".join(e.msgstr[n] for n in sorted(e.msgstr))
            seen.setdefault(_key(e), {})[str(path.relative_to(PACKAGE))] = translation
    clashes = {k: v for k, v in seen.items() if len(set(v.values())) > 1}
    assert not clashes, f"translated differently in different catalogues: {clashes}"
