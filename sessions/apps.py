from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "sessions"
    # django.contrib.sessions owns the label "sessions"; ours appears as "talks" in
    # migrations, permissions, admin URLs and template folders.
    label = "talks"
    verbose_name = "Sessions"

    def ready(self):
        from taggit.models import Tag, TaggedItem

        from conference.caching import register_back_office_models, register_public_models

        register_public_models(
            self.get_model("Session"),
            self.get_model("SessionSpeaker"),
            self.get_model("Recording"),
            self.get_model("SlideDeck"),
            self.get_model("SessionLink"),
            self.get_model("Room"),
            self.get_model("Track"),
            # Sessions' tags, shown on session cards and topic pages.
            Tag,
            TaggedItem,
        )
        register_back_office_models(self.get_model("ImportJob"))
