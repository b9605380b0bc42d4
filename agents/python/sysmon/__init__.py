"""System-Monitor's host probes and alert rules, kept apart from the agent wiring so they test offline."""
