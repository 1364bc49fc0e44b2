"""Places: the county under study and the levels above it (the outside view).

Every observation, claim and target carries a place. Linhai (临海市) is the default;
the nation (全国), Zhejiang (浙江省) and Taizhou (台州市) are the anchors above it.
Users may name any other place (another county, a peer): it is accepted as printed,
with an unknown level, so that nothing is silently mapped onto Linhai.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The place every table defaults to.
DEFAULT_PLACE = "临海市"


@dataclass(frozen=True)
class Place:
    """One administrative place.

    Attributes
    ----------
    name_zh : str
        Canonical Chinese name as used in the data (``临海市``).
    name_en : str
        English name.
    level : str
        ``nation``, ``province``, ``prefecture``, ``county`` or ``unknown``.
    parent : str or None
        ``name_zh`` of the level above, where known.
    """

    name_zh: str
    name_en: str
    level: str
    parent: str | None = None

    @property
    def label(self) -> str:
        """Bilingual label, e.g. ``临海市 (Linhai)``."""
        return f"{self.name_zh} ({self.name_en})" if self.name_en != self.name_zh else self.name_zh


PLACES: dict[str, Place] = {p.name_zh: p for p in [
    Place("全国", "China", "nation"),
    Place("浙江省", "Zhejiang", "province", "全国"),
    Place("台州市", "Taizhou", "prefecture", "浙江省"),
    Place("临海市", "Linhai", "county", "台州市"),
]}

#: Other spellings that mean a known place.
PLACE_ALIASES: dict[str, str] = {
    "中国": "全国", "China": "全国", "national": "全国",
    "浙江": "浙江省", "Zhejiang": "浙江省",
    "台州": "台州市", "Taizhou": "台州市",
    "临海": "临海市", "Linhai": "临海市",
}

#: Order of the hierarchy, top first.
LEVELS = ("nation", "province", "prefecture", "county")


def canonical_place(name: str | None) -> str:
    """Canonical name of a place; an empty name means :data:`DEFAULT_PLACE`.

    Unknown names are returned stripped, unchanged (a user's other county).

    Examples
    --------
    >>> canonical_place("Zhejiang")
    '浙江省'
    >>> canonical_place("")
    '临海市'
    """
    key = (name or "").strip()
    if not key:
        return DEFAULT_PLACE
    return PLACE_ALIASES.get(key, key)


def get_place(name: str) -> Place:
    """The :class:`Place` for a name or alias; unknown places get level ``unknown``."""
    key = canonical_place(name)
    return PLACES.get(key, Place(key, key, "unknown"))


def ladder(place: str = DEFAULT_PLACE) -> list[Place]:
    """The place and every level above it, top first (全国 → 浙江省 → 台州市 → 临海市)."""
    out = [get_place(place)]
    while out[-1].parent:
        out.append(get_place(out[-1].parent))
    return out[::-1]
