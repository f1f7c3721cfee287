"""Transitional: the names ``conference/roundup`` imports, now in :mod:`sessions.providers`.

Delete this module once those imports name ``sessions.providers``.
"""

from sessions.providers import (  # noqa: F401
    EMBED_ATTRIBUTION,
    SlidesProvider,
    VideoProvider,
    attribution_title,
    parse_slides,
    parse_video,
    speakerdeck_script_player,
)
