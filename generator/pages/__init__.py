"""What each page shows, computed before rendering: one module per page kind (home, manager,
org, rankings, methodology, quality, search), each with its context dataclass deriving from
`context.PageContext` and the function that builds it; the number formats they share
(`formatting`), the file names and relative links between pages (`paths`) and what a
snapshot states of its making (`provenance`). Nothing here writes a file.

May import: org, assessment, extract, config, i18n, errors, resources.
"""
