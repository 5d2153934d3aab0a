"""Stand-in for edx-platform's `common` package: only what the plugin app and its tests use."""
