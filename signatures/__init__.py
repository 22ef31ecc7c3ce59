"""PDF sealing (PAdES), seal verification and PDF/A checks for Asysta; no Flask here."""
