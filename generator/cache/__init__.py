"""Stage wrapper: what earlier builds computed from inputs that have not changed. `store`
(pickles keyed by a hash of every input), `extracts` and `assessments` (the loader and the
engine wrapped by it) and `shelf` (assessed periods kept out of memory). The stages it
wraps (extract, assessment) never import it.

May import: assessment, extract, config, errors, resources.
"""
