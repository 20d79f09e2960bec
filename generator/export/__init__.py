"""The downloads: a period's table as CSV (UTF-8 with BOM, no formula injection) and as a
byte-reproducible XLSX.

May import: assessment, errors.
"""
