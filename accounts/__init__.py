def notify(*args, **kwargs):
    """Shortcut for ``accounts.notifications.notify``, importable before the app registry is ready."""
    from accounts.notifications import notify as write_notifications

    return write_notifications(*args, **kwargs)
