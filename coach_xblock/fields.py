"""The block's number settings, as OLX, the Studio editor and stored data give them.

XBlock's `Integer` reads an OLX attribute with YAML (`"012"` is octal, 10; `"36.9"` becomes 36;
`"abc"` raises a ValueError that names neither the field nor the block) and the editor's JSON with
`int()` (a list raises a TypeError). Here a number is a whole number written in decimal, nothing
else. Anything else is kept as it came: the course imports (Studio fails a whole import on the
first exception of any block), the export gives it back unchanged, the block's validation names
the field and the value, and the views run with `usable(value)`: the value brought into the
field's range, or the field's default when it is not a whole number.
"""
import json
import re

from xblock.fields import Integer

DECIMAL = re.compile(r"[+-]?[0-9]+")


def is_whole_number(value):
    """Whether `value` is an int (and not a bool, which Python counts as one)."""
    return isinstance(value, int) and not isinstance(value, bool)


class DecimalInteger(Integer):
    """A whole number setting in a range, given as `values={"min": ..., "max": ...}`.

    The range is the one the Studio editor offers (xblock.utils' editor reads `values` for the
    number input's bounds) and the one `usable` brings a value into.
    """

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

    @property
    def minimum(self):
        """The smallest value the block runs with."""
        return self.values["min"]

    @property
    def maximum(self):
        """The largest value the block runs with."""
        return self.values["max"]

    def usable(self, value):
        """What the block runs with: a whole number brought into the range, else the default."""
        if not is_whole_number(value):
            return self.default
        return min(max(value, self.minimum), self.maximum)
