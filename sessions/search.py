"""Site search: one query across sessions (title, tags, description) and speakers.

On PostgreSQL the database's full-text search does the work: weighted vectors (A for a
session's title or a speaker's name, B for tags or company, C for description or bio),
``websearch`` query syntax and ``ts_rank`` ordering. Elsewhere (SQLite in development and in
half of the test matrix) a plain fallback needs every term somewhere (``icontains``, AND across
terms) and ranks by where each matched: title first, then tags, then description.

Visitors only find what they may see: published sessions of published events, and speakers who
hold one (staff previewing drafts find everything, as on the other public pages).
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from taggit.models import TaggedItem

from conference.validators import CONTROL_CHARACTER
from speakers.models import Speaker

from .models import Session

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
MAX_RESULTS = 100
SEARCH_CONFIG = "english"

# A "quoted phrase" or a bare word; the websearch operators ``or`` and ``-word`` are understood
# by PostgreSQL and skipped by the fallback and the highlighter.
TERM = re.compile(r'"([^"]+)"|(\S+)')

# Where a term matched, best first: the fallback's rank is the sum of these over the terms.
TITLE_WEIGHT, TAG_WEIGHT, TEXT_WEIGHT = 4, 2, 1


@dataclass(frozen=True)
class SearchResults:
    """What the results page shows: the query as searched, its terms, and what matched."""

    query: str = ""
    terms: list[str] = field(default_factory=list)
    sessions: list = field(default_factory=list)
    speakers: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.sessions) + len(self.speakers)

    @property
    def is_capped(self):
        return MAX_RESULTS in (len(self.sessions), len(self.speakers))


def clean_query(query):
    """The query trimmed, control characters (NUL included) and runs of white space made one
    space, cut to ``MAX_QUERY_LENGTH``."""
    # Never part of a word, and PostgreSQL refuses NUL in any text parameter; tabs and line
    # breaks, which the pattern keeps, are white space to ``split`` below.
    query = CONTROL_CHARACTER.sub(" ", query or "")
    return " ".join(query.split())[:MAX_QUERY_LENGTH].strip()


def query_terms(query):
    """The words and quoted phrases to look for (and to highlight), without operators."""
    terms = []
    for phrase, word in TERM.findall(query):
        term = (phrase or word).strip().strip('"')
        if not term or term.lower() == "or" or (word and term.startswith("-")):
            continue
        if term.casefold() not in {t.casefold() for t in terms}:
            terms.append(term)
    return terms[:MAX_TERMS]


def search(query, *, user):
    """Sessions and speakers matching ``query`` that ``user`` may see, best match first."""
    query = clean_query(query)
    terms = query_terms(query)
    if not terms:
        return SearchResults(query=query)
    sessions = Session.objects.visible_to(user)
    speakers = Speaker.objects.visible_to(user)
    if connection.vendor == "postgresql":
        sessions, speakers = _full_text(sessions, speakers, query)
    else:
        sessions, speakers = _fallback(sessions, speakers, terms)
    sessions = sessions.order_by("-rank", F("event__start_date").desc(nulls_last=True), "title")
    speakers = speakers.order_by("-rank", "name")
    return SearchResults(
        query=query,
        terms=terms,
        sessions=list(_for_results(sessions)[:MAX_RESULTS]),
        speakers=list(speakers[:MAX_RESULTS]),
    )


def _for_results(sessions):
    """What a result shows: event, speakers in billing order, tags, video and slides flags."""
    return (
        sessions.select_related("event").with_media_flags().with_speakers().prefetch_related("tags")
    )


def _session_tags():
    """The tag assignments of the session in the outer query (a correlated subquery)."""
    return TaggedItem.objects.filter(
        content_type__app_label=Session._meta.app_label,
        content_type__model=Session._meta.model_name,
        object_id=OuterRef("pk"),
    )


def _full_text(sessions, speakers, query):
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    tag_names = Subquery(
        _session_tags()
        .values("object_id")
        .annotate(names=StringAgg("tag__name", delimiter=" "))
        .values("names")
    )
    session_vector = (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector(tag_names, weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="C", config=SEARCH_CONFIG)
    )
    speaker_vector = (
        SearchVector("name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("company", weight="B", config=SEARCH_CONFIG)
        + SearchVector("bio", weight="C", config=SEARCH_CONFIG)
    )
    sessions = sessions.annotate(
        document=session_vector, rank=SearchRank(session_vector, search_query)
    ).filter(document=search_query)
    speakers = speakers.annotate(
        document=speaker_vector, rank=SearchRank(speaker_vector, search_query)
    ).filter(document=search_query)
    return sessions, speakers


def _fallback(sessions, speakers, terms):
    session_rank, speaker_rank = Value(0), Value(0)
    for term in terms:
        in_title = Q(title__icontains=term)
        in_tags = Q(Exists(_session_tags().filter(tag__name__icontains=term)))
        in_description = Q(description__icontains=term)
        sessions = sessions.filter(in_title | in_tags | in_description)
        session_rank += _rank_by_place(
            (in_title, TITLE_WEIGHT), (in_tags, TAG_WEIGHT), (in_description, TEXT_WEIGHT)
        )

        in_name = Q(name__icontains=term)
        in_company = Q(company__icontains=term)
        in_bio = Q(bio__icontains=term)
        speakers = speakers.filter(in_name | in_company | in_bio)
        speaker_rank += _rank_by_place(
            (in_name, TITLE_WEIGHT), (in_company, TAG_WEIGHT), (in_bio, TEXT_WEIGHT)
        )
    return sessions.annotate(rank=session_rank), speakers.annotate(rank=speaker_rank)


def _rank_by_place(*places):
    """The weight of the best place a term matched (places are given best first)."""
    return Case(
        *(When(condition, then=Value(weight)) for condition, weight in places),
        default=Value(0),
        output_field=IntegerField(),
    )
