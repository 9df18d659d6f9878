"""drf-spectacular enum names for the monitoring API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {
    "IndicatorDirectionEnum": "reporting.models.Indicator.Direction",
    "IndicatorAggregationEnum": "reporting.models.Indicator.Aggregation",
    "IndicatorFrequencyEnum": "reporting.models.Indicator.Frequency",
    "IndicatorDimensionEnum": "reporting.monitoring.framework.DIMENSION_KEYS",
}
