"""ClipShare, a made-up video host: a provider added by one table entry and one poster fragment.

``register()`` adds it to the table; the subprocess test of the CSP calls it before the
settings are read.
"""

from urllib.parse import urlsplit

from sessions import providers

TEMPLATE = (
    '{% extends "_embed_poster.html" %}{% set shape = "video" %}{% set label = "Video" %}'
    '{% set action = "Play video" %}{% set allow = "fullscreen" %}'
)


def parse(url):
    parts = urlsplit(url)
    if parts.hostname != "clipshare.example":
        return None
    key = parts.path.rsplit("/", 1)[-1]
    return key, f"https://clipshare.example/v/{key}"


CLIPSHARE = providers.Provider(
    "clipshare",
    "ClipShare",
    providers.VIDEO,
    parse=parse,
    embed=lambda key: f"https://player.clipshare.example/{key}",
    embed_hosts=("player.clipshare.example",),
    thumbnail=lambda key: f"https://img.clipshare.example/{key}.jpg",
    thumbnail_hosts=("img.clipshare.example",),
    post_embed=lambda key: f"https://player.clipshare.example/{key}?post=1",
)


def register(table=providers.PROVIDERS):
    table[CLIPSHARE.value] = CLIPSHARE
