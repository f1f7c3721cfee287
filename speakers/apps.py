from django.apps import AppConfig


class SpeakersConfig(AppConfig):
    name = "speakers"

    def ready(self):
        from conference.caching import register_public_models

        register_public_models(
            self.get_model("Speaker"), self.get_model("ProfileLink"), self.get_model("SourceId")
        )
