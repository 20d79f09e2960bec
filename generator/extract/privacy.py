"""Name masking for sites read beyond the people entitled to see names (privacy.mask_names)."""
from __future__ import annotations

MASK = "*"


def mask_name(name: str) -> str:
    """张伟 → 张*, 欧阳娜娜 → 欧***, Li Na → L****: the first character stays, so colleagues
    can still tell rows apart with the ID, while the full name is never published."""
    name = name.strip()
    if len(name) <= 1:
        return name and MASK
    return name[0] + MASK * (len(name) - 1)
