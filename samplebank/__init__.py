"""Seeded, deterministic generator of a realistic sample bank (样例银行数据).

It writes what a bank's data warehouse hands the site builder: the org-unit tree, the
manager roster and, per month, performance, targets, qualitative scores and
violations, plus the site_config.yml that points at them. The numbers have the shapes
management knows (80/20 books, the Q1 开门红 push, quarter-end spikes, new hires
ramping up, transfers, leavers); the files carry the noise real exports carry
(GB18030 with CRLF, UTF-8 BOM, thousands separators, percent strings); and, unless
`--clean`, a few planted defects (PLANTED_DEFECTS) that the loader must report.

The bundled sample is exactly:

    python -m samplebank --out data --config site_config.yml

Same arguments give byte-identical files: every random draw comes from a
numpy PCG64 stream derived from the seed, one stream per concern, so changing how
(say) evaluations are drawn leaves units, roster and performance untouched.

A tool of the project, not part of the runtime package `generator` nor of the
installed distribution; it imports nothing from `generator`. Modules:
`contract` (the config template, config_template.yml, and the file names and headers
read from it), `bank` (the simulated bank and its numbers), `export` (the files,
`generate()` and the command line).
"""

from samplebank.bank import (
    DEFAULT_END,
    DEFAULT_MANAGERS,
    DEFAULT_PERIODS,
    DEFAULT_SEED,
    DEFAULT_UNITS,
    PLANTED_DEFECTS,
    planted_defects,
)
from samplebank.contract import CONFIG_TEMPLATE, load_contract, render_config
from samplebank.export import CONFIG_FILE_NAME, generate, main

__all__ = [
    "CONFIG_FILE_NAME", "CONFIG_TEMPLATE", "DEFAULT_END", "DEFAULT_MANAGERS", "DEFAULT_PERIODS",
    "DEFAULT_SEED", "DEFAULT_UNITS", "PLANTED_DEFECTS", "generate", "load_contract", "main",
    "planted_defects", "render_config",
]
