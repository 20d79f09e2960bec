"""What each page shows, computed before rendering: one module per page kind (home, manager,
org, rankings, methodology, quality, search), the number formats they share and the
file names and relative links between pages. Nothing here writes a file.

May import: org, assessment, extract, config, i18n, errors.
"""
