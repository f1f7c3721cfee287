from django.apps import AppConfig


def event_of(row):
    return [row.event.slug]


def event_of_session(row):
    return [row.session.event.slug]


def events_of_speaker(speaker):
    return list(speaker.sessions.values_list("event__slug", flat=True).distinct())


def events_of_speaker_row(row):
    return events_of_speaker(row.speaker)


def events_of_tag(tag):
    from .models import Session

    return list(Session.objects.filter(tags=tag).values_list("event__slug", flat=True).distinct())


def events_of_tagged_item(item):
    from .models import Session

    if item.content_type.model_class() is not Session:
        return None
    return list(Session.objects.filter(pk=item.object_id).values_list("event__slug", flat=True))


class SessionsConfig(AppConfig):
    name = "sessions"
    # django.contrib.sessions owns the label "sessions"; ours appears as "talks" in
    # migrations, permissions, admin URLs and template folders.
    label = "talks"
    verbose_name = "Sessions"

    def ready(self):
        from taggit.models import Tag, TaggedItem

        from conference.caching import register_back_office_models, register_public_models
        from speakers.models import ProfileLink, SourceId, Speaker

        # Which events' pages a row shows on (every change also bumps the cross-event pages).
        register_public_models(self.get_model("Session"), scope=event_of, moves=True)
        register_public_models(self.get_model("Room"), self.get_model("Track"), scope=event_of)
        register_public_models(
            self.get_model("SessionSpeaker"),
            self.get_model("Recording"),
            self.get_model("SlideDeck"),
            self.get_model("SessionLink"),
            scope=event_of_session,
            moves=True,
        )
        # A speaker shows on the pages of every event they speak at.
        register_public_models(Speaker, scope=events_of_speaker)
        register_public_models(ProfileLink, SourceId, scope=events_of_speaker_row)
        # Sessions' tags, shown on session cards and topic pages.
        register_public_models(Tag, scope=events_of_tag)
        register_public_models(TaggedItem, scope=events_of_tagged_item)
        register_back_office_models(self.get_model("ImportJob"))
