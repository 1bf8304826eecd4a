"""Evaluation plans, activity reports, inspections, complaints and credit records."""
