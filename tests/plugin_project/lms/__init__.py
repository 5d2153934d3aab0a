"""Stand-in of edx-platform's `lms` package: only its settings modules (`lms.envs`)."""
