"""Stage: the period archive. What a build may publish and how: the snapshot plan (what to
render, carry over or revise), the data fingerprints it is keyed on, the manifest, the
guards that refuse a bad site, and the swap that publishes it.

May import: render (revisions are rendered like any period), pages.paths, extract, config,
errors, resources. Never imported by a lower stage.
"""
