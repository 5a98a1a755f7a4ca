"""Participation's forms, one module per topic: ``applications`` (joining roles,
deciding, the participate page's filter), ``proposals``, ``comments`` and
``retrospectives``."""
