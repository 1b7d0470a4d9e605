"""Entry point of the frozen Refund Desk bundle: the same as the ``refund-desk`` command.

PyInstaller freezes this script; everything else is the ``refund_desk`` package. Keep it tiny:
whatever is imported here is imported before the first paint.
"""

import multiprocessing
import sys

from refund_desk.cli import main

if __name__ == "__main__":
    # A frozen app started as a multiprocessing child (spawn: Windows, macOS) must run the child's
    # work, not a second desk. Free: PyInstaller's runtime hook has imported multiprocessing.
    multiprocessing.freeze_support()
    sys.exit(main())
