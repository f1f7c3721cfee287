"""Public views of the programme: an event's page, one session's page, sessions by tag, search."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from conference.models import Event

from .models import Session
from .programme import Programme
from .search import search


class EventDetailView(DetailView):
    """The event page: facts, sponsors, then every session the visitor may see, day by day."""

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = Programme(self.object.sessions.visible_to(self.request.user).for_cards())
        # ?kind=panel and ?tag=kvm narrow the programme (the page's script does the same without
        # a reload); values the event does not use are ignored. Facts stay those of the event.
        kind = programme.known_kind(self.request.GET.get("kind", ""))
        tag = programme.known_tag(self.request.GET.get("tag", ""))
        shown = programme.narrowed(kind=kind, tag=tag)
        context.update(
            kinds=programme.kinds,
            tags=programme.tags,
            active_kind=kind,
            active_tag=tag,
            shown_count=len(shown),
            days=programme.days(shown),
            session_count=programme.session_count,
            speaker_count=programme.speaker_count,
            video_count=programme.video_count,
            slides_count=programme.slides_count,
        )
        return context


class SessionDetailView(DetailView):
    def get_queryset(self):
        return (
            Session.objects.visible_to(self.request.user)
            .filter(event__slug=self.kwargs["event_slug"])
            .for_cards()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["previous_session"], context["next_session"] = self.neighbours()
        return context

    def neighbours(self):
        """The sessions before and after this one in the programme (``None`` at either end)."""
        programme = (
            Session.objects.visible_to(self.request.user)
            .select_related("event")
            .only("title", "slug", "event__slug")
        )
        return programme.before(self.object).first(), programme.after(self.object).first()


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
