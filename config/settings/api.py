"""The GraphQL API's limits, uploads and strawberry-django."""

import os

from config.settings.env import BASE_DIR, PRODUCTION, env_bool

# --- GraphQL ----------------------------------------------------------------------------------
GRAPHQL_MAX_DEPTH = 10
GRAPHQL_MAX_ALIASES = 15
GRAPHQL_MAX_TOKENS = 5000
GRAPHQL_MAX_SELECTIONS = 2000  # fields once fragments are expanded (apps/core/graphql/limits.py)
GRAPHQL_TIME_BUDGET_SECONDS = float(os.environ.get("GRAPHQL_TIME_BUDGET_SECONDS", "10"))
GRAPHQL_PAGE_MAX = 100
# Persisted queries (apps/core/graphql/persisted.py): the frontend build's manifest of documents
# by sha256, and whether an unknown hash sent with its text is registered on first use.
GRAPHQL_PERSISTED_DOCUMENTS = os.environ.get(
    "GRAPHQL_PERSISTED_DOCUMENTS", str(BASE_DIR / "persisted-queries.json")
)
GRAPHQL_PERSISTED_REGISTER_ON_USE = env_bool("GRAPHQL_PERSISTED_REGISTER_ON_USE", not PRODUCTION)
# Imports send files as base64 in the GraphQL body: 5 MB of file is about 6.7 MB of request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
# Longest free text a TextField of a tenant model takes (a field may set its own max_length).
FENGKONG_TEXT_MAX_CHARS = int(os.environ.get("FENGKONG_TEXT_MAX_CHARS", "20000"))
# An XLSX upload is checked before and while it is parsed (apps/core/tabular.py): a small
# zip can unpack to gigabytes or hold millions of shared strings that openpyxl loads at once.
FENGKONG_XLSX_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("FENGKONG_XLSX_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
)
FENGKONG_XLSX_MAX_COMPRESSION_RATIO = int(
    os.environ.get("FENGKONG_XLSX_MAX_COMPRESSION_RATIO", "100")
)
FENGKONG_XLSX_MAX_SHARED_STRINGS = int(os.environ.get("FENGKONG_XLSX_MAX_SHARED_STRINGS", "200000"))
FENGKONG_XLSX_MAX_CELLS = int(os.environ.get("FENGKONG_XLSX_MAX_CELLS", "1000000"))
STRAWBERRY_DJANGO = {
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
    "TYPE_DESCRIPTION_FROM_MODEL_DOCSTRING": False,
    "MAP_AUTO_ID_AS_GLOBAL_ID": True,
    "PAGINATION_DEFAULT_LIMIT": 20,
}
