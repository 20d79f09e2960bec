"""A frame's cells for lookups by row label, as plain Python lists.

Pages read a few cells per manager or per org node, many thousand times a period; a pandas
`.at` or `.loc` per read cost more than rendering the page. The frame is converted once,
column by column, and read as `lookup.at[row, column]`, `lookup.loc[row]` (a dict) or
`column in lookup`, as a DataFrame would be.
"""
from __future__ import annotations

import pandas as pd


class FrameLookup:
    def __init__(self, frame: pd.DataFrame):
        self.position = {label: position for position, label in enumerate(frame.index)}
        self.columns = {column: frame[column].tolist() for column in frame.columns}
        self.at = _Cells(self)
        self.loc = _Rows(self)

    def __contains__(self, column) -> bool:
        return column in self.columns

    def has_row(self, label) -> bool:
        return label in self.position

    def row(self, label) -> dict:
        position = self.position[label]
        return {column: values[position] for column, values in self.columns.items()}


class _Cells:
    def __init__(self, lookup: FrameLookup):
        self.lookup = lookup

    def __getitem__(self, cell: tuple):
        label, column = cell
        return self.lookup.columns[column][self.lookup.position[label]]


class _Rows:
    def __init__(self, lookup: FrameLookup):
        self.lookup = lookup

    def __getitem__(self, label) -> dict:
        return self.lookup.row(label)
