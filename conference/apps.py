from django.apps import AppConfig


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = "Events and sponsors"

    def ready(self):
        from .caching import register_public_models

        register_public_models(
            self.get_model("Event"), self.get_model("Sponsor"), self.get_model("Sponsorship")
        )
