#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A wrong environment variable deserves one clear line, not a traceback.
        sys.stderr.write(f"Configuration error: {error}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
