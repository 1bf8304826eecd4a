"""Filing applications and their review workflow."""
