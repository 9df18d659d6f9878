"""What every form uses: bounded input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.datastructures import MultiValueDict

# A field without a length of its own (a choice, a checkbox) takes a value at most this long.
UNBOUNDED_INPUT_MAX = 1000


class BoundedInputMixin:
    """Every value is refused by its length alone when it is longer than its field takes, before
    any other check reads it: the error is the field's "at most N characters", the other
    values stay as typed, and the page shows the value cut to the limit rather than echoing
    megabytes back (or naming them in a "not one of the choices" message)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oversized: dict[str, tuple[int, int]] = {}
        if self.is_bound:
            self.data = self._cut_oversized(self.data)

    def _cut_oversized(self, data: Any) -> Any:
        multi = hasattr(data, "getlist")
        cut_data = None
        for name, field in self.fields.items():
            key, limit = self.add_prefix(name), getattr(field, "max_length", None) or UNBOUNDED_INPUT_MAX
            values = data.getlist(key) if multi else _as_list(data.get(key))
            longest = max((len(v.strip()) for v in values if isinstance(v, str)), default=0)
            if longest <= limit:
                continue
            self.oversized[name] = (limit, longest)
            # A shallow copy (the API's data holds its uploaded files, which cannot be copied).
            cut_data = cut_data or (MultiValueDict(dict(data.lists())) if multi else dict(data))
            cut = [v.strip()[:limit] if isinstance(v, str) else v for v in values]
            if multi:
                cut_data.setlist(key, cut)
            else:
                cut_data[key] = cut if isinstance(data.get(key), list) else cut[0]
        return data if cut_data is None else cut_data

    def full_clean(self) -> None:
        super().full_clean()
        for name, (limit, length) in self.oversized.items():
            self.errors.pop(name, None)
            error = MaxLengthValidator.message
            params = {"limit_value": limit, "show_value": length, "value": ""}
            self.add_error(name, forms.ValidationError(error, code="max_length", params=params))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
