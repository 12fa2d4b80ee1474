"""``python -m rosenblatt`` runs the ``rosenblatt`` command."""

import sys

from rosenblatt.cli import main

sys.exit(main())
