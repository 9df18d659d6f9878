"""URL patterns: to be filled in with the feature they serve."""

urlpatterns: list = []
