"""Stage: the period archive. What a build may publish and how: `snapshots` (the plan of what
to render, carry over or revise, and the record of what was), `fingerprints` (the identity
of each period's data it is keyed on), `manifest`, `guards` (refusing a site that shrank or
rests on rejected rows) and `publish` (the atomic swap).

May import: pages (provenance), extract, config, errors, resources. Never render: the
pipeline renders between the plan and the record.
"""
