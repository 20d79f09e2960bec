"""Stage: the bank's extracts on disk, read into a validated Dataset. `files` decodes one CSV,
`cells` parses its values, `rules` holds every data rule with its message and fix, `loader`
applies them per file, `periods` names and finds the period folders, `dataset` is the
result every later stage reads.

May import: config, errors, i18n.
"""
