"""Importing residents from the community office's Excel ledger (BRIEF R1).

The office keeps one row per resident with the household's columns repeated on each row. An
import runs in two steps:

1. `import_dry_run` parses the upload, checks every row and stores the result as an
   `ImportBatch` (rows encrypted: they hold ID and phone numbers). Nothing is written to the
   registry, so the admin sees every problem at once, with Excel row numbers and column headers.
2. `import_commit` checks the rows again against the registry as it is *now* and, only if no
   row is bad, writes households, residents, residencies and their audit rows in one
   transaction. Rows already registered identically count as unchanged, so importing the same
   file twice changes nothing.

Speed matters (a 20,000-row ledger): validation preloads buildings, units, households and ID
hashes into dicts and the writes are bulk inserts; no query runs per row. The CPU-heavy work
(parsing, ID and phone checks, encryption, pinyin) happens outside the write transaction
because on SQLite that transaction holds the database's single write lock.

`COLUMNS` is the one description of the spreadsheet: the template, the parser and the export
all read it. Its Chinese headers and labels are data (the format community offices use), not
interface text, so they are not translated.

The package follows the steps: `spec` (columns, labels, the error record) → `parser` (the
file) → `cleaning` (each row alone) → `plan` (the rows against the registry) → `services`
(dry run, commit, batches); `template` and `report` build the two spreadsheets it hands out.
Callers import from the package.
"""

from linli.registry.importing.cleaning import CleanRow, clean_row, clean_rows
from linli.registry.importing.parser import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    ParsedFile,
    parse_workbook,
)
from linli.registry.importing.plan import ImportPlan, resolve
from linli.registry.importing.report import build_error_report, export_import_errors
from linli.registry.importing.services import (
    batch_get,
    batch_list,
    commit_refused_message,
    import_commit,
    import_communities,
    import_dry_run,
    previous_import,
)
from linli.registry.importing.spec import (
    COLUMNS,
    DISABILITY_LABELS,
    EXAMPLE_MARK,
    FLAG_FIELDS,
    GENDER_LABELS,
    KEYS,
    NO,
    RELATION_LABELS,
    TAG_LABELS,
    TENURE_LABELS,
    YES,
    Column,
    RowError,
)
from linli.registry.importing.template import build_template, example_values, export_template

__all__ = [
    "COLUMNS",
    "DISABILITY_LABELS",
    "EXAMPLE_MARK",
    "FLAG_FIELDS",
    "GENDER_LABELS",
    "KEYS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "NO",
    "RELATION_LABELS",
    "TAG_LABELS",
    "TENURE_LABELS",
    "YES",
    "CleanRow",
    "Column",
    "ImportPlan",
    "ParsedFile",
    "RowError",
    "batch_get",
    "batch_list",
    "build_error_report",
    "build_template",
    "clean_row",
    "clean_rows",
    "commit_refused_message",
    "example_values",
    "export_import_errors",
    "export_template",
    "import_commit",
    "import_communities",
    "import_dry_run",
    "parse_workbook",
    "previous_import",
    "resolve",
]
