"""Projects and their roles (see the marketplace issue)."""
