"""Public views of the programme: an event's page and its day pages, its schedule grid and
personal agenda, one session's page, sessions by tag, search."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from conference.models import Event

from .models import Session
from .programme import (
    DayPage,
    Programme,
    Schedule,
    agenda_entries,
    day_url,
    in_programme_order,
    session_timing,
)
from .search import search


class EventDetailView(DetailView):
    """The event page: facts, sponsors, then every session the visitor may see, day by day:
    as full cards, or for a big event (``Programme.is_big``) one line each, with links to the
    day pages that hold the cards."""

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sessions = self.object.sessions.visible_to(self.request.user).for_card_pages()
        programme = Programme(in_programme_order(sessions))
        # ?kind=panel and ?tag=kvm narrow the programme (the page's script does the same without
        # a reload); values the event does not use are ignored. Facts stay those of the event.
        kind = programme.known_kind(self.request.GET.get("kind", ""))
        tag = programme.known_tag(self.request.GET.get("tag", ""))
        shown = programme.narrowed(kind=kind, tag=tag)
        days = programme.outline(self.object, shown) if programme.is_big else programme.days(shown)
        context.update(
            kinds=programme.kinds,
            tags=programme.tags,
            active_kind=kind,
            active_tag=tag,
            shown_count=len(shown),
            days=days,
            is_big=programme.is_big,
            session_count=programme.session_count,
            speaker_count=programme.speaker_count,
            video_count=programme.video_count,
            slides_count=programme.slides_count,
            # The schedule, the agenda and their script only where some session has a time.
            has_schedule=any(session.starts_at for session in programme.sessions),
        )
        return context


class SessionDetailView(DetailView):
    def get_queryset(self):
        return (
            Session.objects.visible_to(self.request.user)
            .filter(event__slug=self.kwargs["event_slug"])
            .for_cards()
            .select_related("room", "track")
            .prefetch_related("links")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["previous_session"], context["next_session"] = self.neighbours()
        context["timing"] = session_timing(self.object)
        return context

    def neighbours(self):
        """The sessions before and after this one in the programme (``None`` at either end):
        in time order among the timed sessions for a timed one, else in day and position."""
        if self.object.starts_at:
            return self.neighbours_in_time()
        programme = (
            Session.objects.visible_to(self.request.user)
            .select_related("event")
            .only("title", "slug", "event__slug")
        )
        return programme.before(self.object).first(), programme.after(self.object).first()

    def neighbours_in_time(self):
        # Ties (one start in several rooms) are ordered by room and title, as on the grid: one
        # query of ids in that order finds the neighbours, a second fetches them.
        timed = Session.objects.visible_to(self.request.user).filter(event_id=self.object.event_id)
        ids = list(timed.timed().in_time_order().values_list("pk", flat=True))
        index = ids.index(self.object.pk) if self.object.pk in ids else None
        if index is None:
            return None, None
        wanted = {
            "previous": ids[index - 1] if index > 0 else None,
            "next": ids[index + 1] if index + 1 < len(ids) else None,
        }
        found = timed.select_related("event").only("title", "slug", "event__slug")
        found = found.in_bulk([pk for pk in wanted.values() if pk])
        return found.get(wanted["previous"]), found.get(wanted["next"])


def visible_event(request, slug):
    return get_object_or_404(Event.objects.visible_to(request.user), slug=slug)


@require_safe
def event_schedule(request, slug):
    """``/events/<slug>/schedule/``: the grid of the event's timed sessions (404 without any);
    ``?day=``, ``?room=``, ``?track=``, ``?kind=`` and ``?tag=`` narrow it."""
    event = visible_event(request, slug)
    query = {name: request.GET.get(name, "") for name in ("day", *Schedule.FILTERS)}
    schedule = Schedule.for_event(event, request.user, path=request.path, query=query)
    if schedule is None:
        raise Http404("This event has no timed sessions.")
    return render(request, "talks/event_schedule.html", {"event": event, "schedule": schedule})


@require_safe
def event_day(request, slug, day, part=1):
    """``/events/<slug>/day/<n>/`` (and ``.../part/<p>/`` when the day is split): the full
    cards of one day; 404 for a day without sessions or a part past the last."""
    event = visible_event(request, slug)
    if request.resolver_match.url_name == "event_day_part" and part == 1:
        return redirect(day_url(event.slug, day), permanent=True)
    page = DayPage.for_event(event, request.user, day=day, part=part)
    if page is None:
        raise Http404("This event has no such day.")
    return render(request, "talks/event_day.html", {"event": event, "page": page})


@require_safe
def event_agenda(request, slug):
    """``/events/<slug>/agenda/``: every timed session as data; the page's script shows the
    visitor's starred ones (kept in their browser only), so the page is the same for all."""
    event = visible_event(request, slug)
    sessions = list(event.sessions.visible_to(request.user).timed().for_agenda().in_time_order())
    if not sessions:
        raise Http404("This event has no timed sessions.")
    context = {"event": event, "entries": agenda_entries(event, sessions)}
    return render(request, "talks/event_agenda.html", context)


@require_safe
def event_track_styles(request, slug):
    """The colours of the event's tracks as a stylesheet (``.track-<slug>``), since the CSP
    allows no inline style: the grid is coloured without the page's script."""
    event = visible_event(request, slug)
    return render(
        request,
        "talks/event_tracks.css",
        {"tracks": event.tracks.all()},
        content_type="text/css; charset=utf-8",
    )


class TagDetailView(ListView):
    """Published sessions of every event with one tag, newest event first (404 when none)."""

    template_name = "talks/tag_detail.html"
    context_object_name = "sessions"
    allow_empty = False

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Session.objects.published().filter(tags=self.tag).for_speaker_page().with_speakers()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


@require_safe
def search_results(request):
    """``/search/?q=``: sessions and speakers matching the query (see ``sessions.search``)."""
    results = search(request.GET.get("q", ""), user=request.user)
    return render(request, "talks/search.html", {"results": results})
