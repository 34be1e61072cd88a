"""The ``regietafel`` console script: Django's manage.py for an installed Regietafel."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regietafel.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # Our commands read better with hyphens on the command line (regietafel load-populations); Python
    # modules cannot have them, so map the command name.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
