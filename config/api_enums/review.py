"""drf-spectacular enum names for the review API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {
    "BiennialReviewStateEnum": "compact.models.BiennialReview.State",
    "ReviewActionEnum": "compact.api.review.REVIEW_ACTIONS",
    "ReviewProgressEnum": "compact.api.review.PROGRESS_CHOICES",
}
