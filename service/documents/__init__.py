"""The core of Asysta: document types, rendering, conversion and issuing, free of Flask request state."""
