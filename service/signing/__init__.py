"""Signing issued documents: on a tablet, through a one-time link, by staff password, or on paper."""
