"""Stand-in of edx-platform's `cms` package: only its settings modules (`cms.envs`)."""
