"""Stage: organization models (组织模式) as trees of nodes, and what each node holds in a
period; `lookup` reads a frame's cells fast for the many per-node reads.

May import: assessment (its ranking rule), extract (the dataset), config, errors, i18n.
"""
