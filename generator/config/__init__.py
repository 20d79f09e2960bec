"""Stage: site_config.yml, typed and validated. `base` holds the building blocks, `assessment`
the `assessment:` section, `site` every other section and the checks across them, `loading`
the YAML reading and the error messages that name a key.

May import: errors, i18n.
"""
