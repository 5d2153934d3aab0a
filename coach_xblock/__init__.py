"""coach-xblock: coach check-in points for Open edX courses."""
