"""drf-spectacular enum names for the review API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {
    "BiennialReviewStateEnum": "compact.models.BiennialReview.State",
    "ReviewActionEnum": "reporting.review.api.REVIEW_ACTIONS",
    "ReviewProgressEnum": "reporting.review.api.PROGRESS_CHOICES",
}
