"""Stage: the site written to disk. The page writer and its jinja2 environment, the worker
processes that share the assessed tables, the chart specifications and the build-time SVG
charts, the mkdocs narrative pages, and `site`, which renders the periods a plan names.

May import: pages, export, cache, org, assessment, extract, config, i18n, errors, resources.
"""
