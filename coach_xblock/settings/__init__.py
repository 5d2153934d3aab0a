"""Settings that Open edX's plugin system gives coach-xblock in the LMS and Studio."""
