"""Links between the site's pages: relative, so that the site works from disk, from any static host
and behind any public address.

A page's location is its path from the site's root without suffix (``id/action/x``,
``country/PER``, ``index``). The static site writes a page as ``LOCATION.html`` and links with the
suffix; ``serve`` answers at ``/LOCATION`` (by content negotiation) and links without it.
"""

from __future__ import annotations

from urllib.parse import quote

from graph.site.resources import Place, Resources

_SAFE = "/-._~"
PAGE_SUFFIX = {"static": ".html", "served": ""}


def relative(source: str, target: str) -> str:
    """The relative path from the file ``source`` to the file ``target`` (both from the root)."""
    here = source.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


class Linker:
    """Hrefs from one page (``location``) to others, pages taking ``suffix``."""

    def __init__(
        self, location: str, suffix: str, resources: Resources, shared: dict[tuple[str, str, str], str] | None = None
    ) -> None:
        self.location = location
        self.folder = location.rpartition("/")[0]
        self.suffix = suffix
        self.resources = resources
        # hrefs by (the page's folder, target, anchor): pages of one folder link alike
        self._cache = {} if shared is None else shared

    def page(self, location: str, anchor: str = "") -> str:
        """The href of a page (its location) and an anchor on it."""
        if anchor and location == self.location:
            return "#" + quote(anchor, safe=_SAFE)  # an anchor on this very page
        key = (self.folder, location, anchor)
        found = self._cache.get(key)
        if found is None:
            found = quote(relative(self.location, location + self.suffix), safe=_SAFE)
            if anchor:
                found += "#" + quote(anchor, safe=_SAFE)
            if len(self._cache) > 1_000_000:
                self._cache.clear()
            self._cache[key] = found
        return found

    def file(self, path: str) -> str:
        """The href of a file of the site (an asset, a view, a download), as it is named."""
        return quote(relative(self.location, path), safe=_SAFE)

    def root(self) -> str:
        """The href of the site's root (the server's query page, when served)."""
        return quote(relative(self.location, ""), safe=_SAFE) or "./"

    def place(self, place: Place | None) -> str | None:
        return None if place is None else self.page(place.page, place.anchor)

    def node(self, node: str) -> str | None:
        """The href of a resource's page (or its anchor), None when it has none."""
        return self.place(self.resources.place(node))
