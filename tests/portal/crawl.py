"""The anonymous crawl of the public side (issue 13, acceptance): start from the portal's
home (and any further start URLs — the open-data helper adds its downloads and API URLs),
follow every same-host link (`href` of <a> and <link>, the Atom feed's links), fetch each
page once, bounded, and hand back every response for the caller's checks.

Pages inside the portal (`follow` prefixes) are followed further; a page outside them (a
plan's reading page, search) is fetched and checked but not followed, so the budget is
spent on the portal and not on the hundreds of plan clauses, which are public by design."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client

HREF = re.compile(r"""\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
# never fetched: assets, the language switch, sign-in and administration
SKIP = ("/static/", "/media/", "/i18n/", "/accounts/", "/admin/")


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    text: str
    found_on: str


@dataclass
class Crawl:
    pages: dict[str, Page] = field(default_factory=dict)
    truncated: bool = False

    def containing(self, needle: str) -> list[str]:
        return [url for url, page in self.pages.items() if needle in page.text]

    def failures(self) -> list[tuple[str, int, str]]:
        return [(p.url, p.status, p.found_on) for p in self.pages.values() if p.status >= 400]


def readable(body: bytes, content_type: str) -> str:
    """The text a check should search: JSON re-written with its characters unescaped (a
    JSON encoder writes 宜宾 as \\u5b9c\\u5bbe), the XML parts of a zip (xlsx, docx) joined,
    anything else decoded as UTF-8."""
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                return "\n".join(
                    z.read(n).decode("utf-8", "replace")
                    for n in z.namelist()
                    if n.endswith((".xml", ".csv", ".json", ".txt"))
                )
        except zipfile.BadZipFile:
            pass
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def links_in(text: str, base: str) -> list[str]:
    """Same-host paths (with their query) that `text` links to, fragments dropped."""
    out = []
    for raw in HREF.findall(text):
        href = html.unescape(raw.strip())
        if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            continue
        absolute = urljoin(f"http://testserver{base}", href)
        parts = urlsplit(urldefrag(absolute)[0])
        if parts.netloc != "testserver":
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def crawl(
    client: Client,
    start: Iterable[str] = ("/gongkai/",),
    *,
    follow: tuple[str, ...] = ("/gongkai/",),
    limit: int = 500,
) -> Crawl:
    """Breadth-first from `start`: every page fetched once (GET, redirects followed), at most
    `limit` pages; links found on pages under `follow` are queued."""
    result = Crawl()
    queue: deque[tuple[str, str]] = deque((url, "(start)") for url in start)
    seen = {url for url, _ in queue}
    while queue:
        url, found_on = queue.popleft()
        if len(result.pages) >= limit:
            result.truncated = True
            break
        response = client.get(url, follow=True)
        content_type = response.get("Content-Type", "")
        streaming = getattr(response, "streaming", False)
        body = b"".join(response.streaming_content) if streaming else response.content  # type: ignore[attr-defined]
        text = readable(body, content_type)
        result.pages[url] = Page(url, response.status_code, content_type, text, found_on)
        if not url.startswith(follow):
            continue
        for link in links_in(text, url):
            if link in seen or link.startswith(SKIP):
                continue
            seen.add(link)
            queue.append((link, url))
    return result
