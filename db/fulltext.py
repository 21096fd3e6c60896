"""Full-text indexes (SQLite FTS5) kept inside the encrypted database.

`identity_search` indexes the pseudonyms of `identity` as an external-content table: the
words live only in `identity` and triggers keep the index in step with every insert, edit
and delete, so a forgotten identity cannot be found by its name any more. A migration that
rebuilds `identity` (Alembic batch mode drops its triggers) must create them again.

`directory_search` indexes the names, descriptions and keywords of the partner directory
(public information) in every language, under the integer id of `directory_entry`; it is
written with the entry by db/directory_queries.py.
"""

from __future__ import annotations

import re

# Tables FTS5 creates and owns; the schema comparison of the models leaves them alone.
FULLTEXT_TABLES = ("identity_search", "directory_search")

# The tokens unicode61 makes: letters and digits, everything else separates.
_TOKEN = re.compile(r"[^\W_]+")


def is_fulltext_table(name: str) -> bool:
    """True for a full-text index and the shadow tables FTS5 keeps beside it."""
    return any(name == table or name.startswith(f"{table}_") for table in FULLTEXT_TABLES)


def words(folded_text: str) -> list[str]:
    """The words of `folded_text` as the index splits them."""
    return _TOKEN.findall(folded_text)


def prefix_query(folded_text: str, ranking_only: str = "") -> str | None:
    """An FTS5 query finding rows with a word starting with every word typed, or None
    when nothing searchable was typed. Each word is quoted, so no input is FTS5 syntax.

    The words of `ranking_only` find no other row (they are OR-ed with a word every row
    found has) but count in bm25: a row that has them too ranks higher."""
    typed = words(folded_text)
    if not typed:
        return None
    query = " AND ".join(f'"{word}"*' for word in typed)
    extra = words(ranking_only)
    if extra:
        query += f' AND ("{typed[0]}"* OR ' + " OR ".join(f'"{word}"' for word in extra) + ")"
    return query


def compared_by_alembic(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name` hook: the models do not describe full-text tables."""
    return not (type_ == "table" and name is not None and is_fulltext_table(name))


def whole_words_query(folded_text: str) -> str | None:
    """An FTS5 query finding rows with every typed word whole (ranked before prefixes)."""
    return " AND ".join(f'"{word}"' for word in words(folded_text)) or None
