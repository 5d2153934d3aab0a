"""Template tags of coach-xblock."""
