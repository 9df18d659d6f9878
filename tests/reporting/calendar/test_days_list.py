"""Reminder days typed as each language writes a list: Arabic or Chinese commas, Arabic digits."""

import pytest
from django.core.exceptions import ValidationError

from reporting.calendar.forms import DaysListField


@pytest.mark.parametrize(
    "typed",
    ["14, 7, 1", "14،7، 1", "14，7，1", "14、7、1", "14; 7 1", "١٤، ٧، ١"],
)
def test_a_list_of_days_is_read_whatever_the_keyboard(typed):
    assert DaysListField(required=False).clean(typed) == [14, 7, 1]


@pytest.mark.parametrize("typed", ["14, seven", "1.5", "-3", "14,,x"])
def test_anything_but_whole_days_is_refused_with_the_reason(typed):
    with pytest.raises(ValidationError) as refused:
        DaysListField(required=False).clean(typed)
    assert refused.value.code == "invalid"
