"""The archive: write-once files under their SHA-256, registry rows, cases and the access log."""
