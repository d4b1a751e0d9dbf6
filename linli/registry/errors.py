"""The registry's error codes (API contract, docs/api-errors.md). Generic meanings use
`linli.core.errors.CoreError` (REQUIRED, INVALID_DATE, INVALID_PHONE, INVALID_TRANSITION, ...);
these are the ones only the registry has."""

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class RegistryError(ErrorCodes):
    INVALID_ID_FORMAT = (
        "invalid_id_format",
        _("A citizen ID number is not 17 digits followed by a digit or X."),
    )
    INVALID_ID_CHECKSUM = (
        "invalid_id_checksum",
        _("A citizen ID number's check character is wrong (GB 11643)."),
    )
    INVALID_ID_BIRTH_DATE = (
        "invalid_id_birth_date",
        _("The birth date inside a citizen ID number is not a real date."),
    )
    BIRTH_DATE_MISMATCH = (
        "birth_date_mismatch",
        _("The birth date given disagrees with the citizen ID number."),
    )
    GENDER_MISMATCH = "gender_mismatch", _("The gender given disagrees with the citizen ID number.")
    ID_TAKEN = "id_taken", _("The citizen ID number is already registered.")
    ROOM_TAKEN = "room_taken", _("A household already lives in the room.")
    # The resident import (per file, then per row of the file).
    NO_HEADER = "no_header", _("The spreadsheet's header row was not found.")
    MISSING_COLUMNS = "missing_columns", _("Required columns are missing from the spreadsheet.")
    TOO_MANY_ROWS = "too_many_rows", _("The spreadsheet has more rows than one import takes.")
    EMPTY_FILE = "empty_file", _("The spreadsheet has no resident rows.")
    ID_NOT_TEXT = (
        "id_not_text",
        _("Excel stored a citizen ID number as a number, which may have changed its digits."),
    )
    UNKNOWN_BUILDING = "unknown_building", _("The community has no such building.")
    UNKNOWN_UNIT = "unknown_unit", _("The building has no such unit.")
    HOUSEHOLD_MISMATCH = (
        "household_mismatch",
        _("Rows of one new room disagree on the household's details."),
    )
    DUPLICATE_ROW = "duplicate_row", _("The same person is in the file twice.")
    DUPLICATE_ID = "duplicate_id", _("The same citizen ID number is in the file twice.")
    POSSIBLE_DUPLICATE = (
        "possible_duplicate",
        _("A resident with this name and birth date is already registered without an ID."),
    )
    ID_MOVED_OUT = (
        "id_moved_out",
        _("The citizen ID number belongs to a resident of this community who moved out."),
    )
    RESIDENT_DIFFERS = (
        "resident_differs",
        _("The resident is registered in this household with other details."),
    )
    IMPORT_EXPIRED = "import_expired", _("The upload can no longer be imported; upload it again.")
    IMPORT_INVALID = "import_invalid", _("The import was refused: rows have errors (see details).")
