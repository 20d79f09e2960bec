"""`python -m generator.config > site_config.schema.json`: the config's JSON schema, for editors."""
import sys

from generator.config.loading import json_schema

sys.stdout.write(json_schema())
