"""The JSON API: the same operations as the web forms, for scripts and other systems."""
