"""Static reporting site generator for the customer manager system (客户经理制).

The build is one function, `generator.pipeline.build`, and each of its stages is a package:

    config/      site_config.yml, typed and validated
    extract/     the extracts on disk → a validated Dataset (files, cells, rules, loader, periods)
    assessment/  scores, grades, ranks, roll-ups, awards: pure functions of the Dataset
    audience/    the cut of the dataset and assessments to one branch (--audience)
    org/         organization models as trees of nodes
    pages/       what each page shows, computed before rendering (one module per page kind)
    export/      the CSV and XLSX downloads
    render/      the site written to disk: writer, jinja environment, workers, charts, mkdocs
    archive/     snapshots: the plan, fingerprints, manifest, guards and the atomic publish
    cache/       what earlier builds computed, wrapped around extract and assessment
    i18n/        the interface words, one catalogue per language

`errors.py` holds the problems a build reports and `resources.py` finds the templates and
docs; `cli.py` is `python build.py`. A package imports only packages below it:
cli → pipeline → archive, render → pages, export, cache, audience → org → assessment →
extract → config → errors, i18n, resources (tests/test_static_checks.py enforces it).
"""
