"""Stage wrapper: what earlier builds computed from inputs that have not changed. The store
(pickles keyed by a hash of every input) and the shelf that keeps assessed periods out of
memory. The stages it wraps (extract, assessment) never import it.

May import: assessment, extract, config, errors, resources.
"""
