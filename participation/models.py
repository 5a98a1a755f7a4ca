"""Applications, memberships, proposals and comments (see the participation issue)."""
