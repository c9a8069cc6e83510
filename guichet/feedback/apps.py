from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "guichet.feedback"
    label = "feedback"
    verbose_name = "Satisfaction"
