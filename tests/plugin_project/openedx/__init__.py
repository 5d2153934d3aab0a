"""Stand-in for edx-platform's `openedx` package: only what the plugin app connects to."""
