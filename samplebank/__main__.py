"""`python -m samplebank`: write the sample bank (see samplebank.export.main)."""

import sys

from samplebank.export import main

sys.exit(main())
