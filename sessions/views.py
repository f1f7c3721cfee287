"""Public views of sessions: one session's page, and every session with a given tag."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from .models import Session, SessionSpeaker
from .search import search


class SessionDetailView(DetailView):
    def get_queryset(self):
        return (
            Session.objects.visible_to(self.request.user)
            .filter(event__slug=self.kwargs["event_slug"])
            .for_roundup()
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
        return (
            Session.objects.published()
            .filter(tags=self.tag)
            .for_speaker_page()
            .prefetch_related(
                Prefetch(
                    "session_speakers",
                    queryset=SessionSpeaker.objects.select_related("speaker").order_by("position"),
                )
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


@require_safe
def search_results(request):
    """``/search/?q=``: sessions and speakers matching the query (see ``sessions.search``)."""
    results = search(request.GET.get("q", ""), user=request.user)
    return render(request, "talks/search.html", {"results": results})
