"""Results, certificate numbers and public verification."""
