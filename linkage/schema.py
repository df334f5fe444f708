"""The person schema shared by both sides of a match job, raw and normalized.

Raw columns are the contract of ``../shared/DESIGN.md`` (Interface section). Normalized columns are
what :func:`normalizers.frame.normalize` produces from them; comparisons and blocking rules read
only normalized columns. Every normalized column holds scalars (str, int, float or missing), so
pairs of values can be deduplicated; lists are ``;``-joined strings.
"""

from __future__ import annotations

#: raw input columns, in the order outputs show them
INPUT_COLUMNS: tuple[str, ...] = (
    "record_id",
    "full_name",
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "sex",
    "birth_date",
    "age",
    "report_date",
    "country",
    "department",
    "municipality",
    "community",
    "place",
    "national_id",
    "a_number",
    "phone",
    "child_names",
    "child_birth_dates",
    "removal_date",
    "organization",
)

NAME_COLUMNS: tuple[str, ...] = ("full_name", "given_names", "paternal_surname", "maternal_surname")

#: normalized columns, by the normalizer that produces them
NORMALIZED_COLUMNS: dict[str, tuple[str, ...]] = {
    # normalizers.names.normalize_frame
    "names": (
        "given",  # canonical given names, space-separated ("maria jose")
        "given1",  # first given name, canonical ("maria")
        "paternal",  # canonical paternal surname ("garcia")
        "maternal",  # canonical maternal surname or missing
        "name_confidence",  # 0..1, how sure the parse is
        "given1_key",  # Spanish phonetic key of given1, nickname-resolved
        "paternal_key",  # Spanish phonetic key of paternal
        "maternal_key",  # Spanish phonetic key of maternal
        "nickname",  # a nickname given in the name ("Chepe"), canonical
        "married_surname",  # the husband's surname in "López de García", canonical
        "name_tf",  # formal first given name + paternal surname, for term frequencies
    ),
    # normalizers.places.normalize_frame
    "places": (
        "country",  # ISO 3166-1 alpha-2 ("GT")
        "department_code",  # P-code of admin level 1 ("GT13")
        "municipality_code",  # P-code of admin level 2 ("GT1301"); missing when ambiguous
        "community",  # canonical community name, type words removed ("san jose")
        "lat",  # latitude of the municipal seat
        "lon",
        "place_confidence",  # 0..1
    ),
    # normalizers.dates.normalize_frame
    "dates": (
        "dob",  # ISO date at its precision: "1985-04-03", "1985-04" or "1985"
        "dob_precision",  # "day", "month", "year" or missing
        "dob_swapped",  # the other reading when day and month are both <= 12, else missing
        "birth_year_min",  # inclusive range from dob, age + report_date, or an ID
        "birth_year_max",
        "born_from",  # ISO: first and last birth dates an age at a report date (to the day) allows
        "born_to",
        "removal_date",  # ISO
    ),
    # normalizers.ids.normalize_frame
    "ids": (
        "national_id",  # compact digits/letters
        "id_kind",  # "gt_cui", "hn_dni", "sv_dui", "ni_cedula", "mx_curp" or missing
        "id_valid",  # bool: passes its check
        "id_municipality_code",  # P-code implied by the ID, if any
        "id_dob",  # ISO birth date implied by the ID, if any
        "id_birth_year",  # birth year implied by the ID (a DNI's registration year), if any
        "a_number",  # 9 digits
    ),
    # normalizers.phones.normalize_frame
    "phones": (
        "phones",  # ";"-joined E.164 numbers
        "phone_keys",  # ";"-joined national significant numbers
    ),
}
