"""Stage: the site written to disk. `site` decides which pages a period gets and writes what
generator.pages makes, through the `writer` (and its jinja `environment`) on the `workers`
(forked processes sharing the assessed tables); `chart_specs` and `static_charts` are the
browser and build-time charts, `narrative` the mkdocs guide (the only module touching
mkdocs), `revision` a corrected closed period.

May import: pages, export, audience, org, assessment, extract, config, i18n, errors, resources.
"""
