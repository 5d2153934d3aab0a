"""The block's number settings, as OLX, the Studio editor and stored data give them.

XBlock's `Integer` reads an OLX attribute with YAML (`"012"` is octal, 10; `"36.9"` becomes 36;
`"abc"` raises a ValueError that names neither the field nor the block) and the editor's JSON with
`int()` (a list raises a TypeError). Here a number is a whole number written in decimal, nothing
else. Anything else is kept as it came: the course imports (Studio fails a whole import on the
first exception of any block), the export gives it back unchanged, the block's validation names
the field and the value, and the views run with `bounds.usable(value)`: the value brought into the
field's range, or the field's default when it is not a whole number. The range and the default
are the domain's (`coach_xblock.domain.Bounds`).
"""
import json
import re

from xblock.fields import Integer

from .domain import is_whole_number

DECIMAL = re.compile(r"[+-]?[0-9]+")


class DecimalInteger(Integer):
    """A whole number setting within `bounds` (a `domain.Bounds`: its range and its default).

    The range is the one the Studio editor offers (xblock.utils' editor reads `values` for the
    number input's bounds) and the one `bounds.usable` brings a value into.
    """

    def __init__(self, *, bounds, **kwargs):
        super().__init__(default=bounds.default, values={"min": bounds.minimum, "max": bounds.maximum}, **kwargs)
        self.bounds = bounds

    def from_json(self, value):
        """A decimal string as its number, "" (or only spaces) as None; any other value as it is."""
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if DECIMAL.fullmatch(text):
                try:
                    return int(text, 10)
                except ValueError:  # more digits than Python converts: no setting is that large
                    return value
        return value

    enforce_type = from_json

    def from_string(self, serialized):
        """An OLX attribute, read in decimal (never as YAML)."""
        return self.from_json(serialized)

    def to_string(self, value):
        """The OLX attribute: a number in decimal, a kept value as it came, None as an empty attribute."""
        if value is None or isinstance(value, str):
            return value
        if is_whole_number(value):
            return str(value)
        return json.dumps(value)
