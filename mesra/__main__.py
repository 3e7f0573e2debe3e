import sys

from mesra.cli import main

sys.exit(main())
