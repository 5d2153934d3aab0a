"""tutor-contrib-coach: the Tutor plugin of coach-xblock (entry point `tutor.plugin.v1` named `coach`)."""
