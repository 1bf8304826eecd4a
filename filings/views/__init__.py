"""Views of the filings app, by topic: the application (agency), review (officials), panel (experts)."""
