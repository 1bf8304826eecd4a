"""The results workbook: the template an agency downloads for a session, and the check of what it uploads.

Every row is checked (ID number, scores, the plan's occupation and level, the exemption's evidence, duplicates
in the file, 一人多证 against the certificates of every agency); nothing is imported unless the whole file is
clean. When it is not, the same workbook comes back with each bad cell filled red and commented with the reason.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from agencies.models import Level
from certificates import crypto
from certificates.idnumbers import gender as gender_of
from certificates.idnumbers import validate_id_number
from certificates.models import Certificate, PassRule, Session
from certificates.reference import pass_rule_basis
from certificates.rules import Scores, evaluate, required_parts, theory_exempt

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a zip bomb stops here
MAX_ROWS = 20_000
# Errors listed on the page; the marked workbook carries every one.
LISTED_ERRORS = 200
ERROR_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
AUTHOR = "评价机构备案监管平台"


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translation
    note: object
    width: int = 14


COLUMNS = (
    Column("name", gettext_lazy("Name"), gettext_lazy("Required. As on the ID card."), 12),
    Column(
        "id_number",
        gettext_lazy("ID number"),
        gettext_lazy("Required. 18 characters (GB 11643-1999); type it as text so Excel keeps every digit."),
        22,
    ),
    Column("gender", gettext_lazy("Gender"), gettext_lazy("男 or 女; left empty, it is read from the ID number."), 8),
    Column("occupation", gettext_lazy("Occupation"), gettext_lazy("The occupation of the evaluation plan."), 14),
    Column("work_type", gettext_lazy("Work type"), gettext_lazy("Optional."), 12),
    Column("level", gettext_lazy("Level"), gettext_lazy("The level of the evaluation plan, 1 to 5."), 8),
    Column("employer", gettext_lazy("Employer"), gettext_lazy("Optional: the candidate's employer."), 24),
    Column(
        "key_unit",
        gettext_lazy("Key security unit"),
        gettext_lazy(
            "是 when the employer is a key security unit (治安保卫重点单位) designated by a people's government at "
            "county level or above; 否 or empty otherwise."
        ),
        12,
    ),
    Column(
        "guard_card_number",
        gettext_lazy("Security-guard card number"),
        gettext_lazy("保安员证 number: for the theory exemption of level-5 security guards."),
        18,
    ),
    Column(
        "guard_card_date",
        gettext_lazy("Security-guard card issued on"),
        gettext_lazy("Date of issue of the 保安员证 (YYYY-MM-DD)."),
        16,
    ),
    Column("theory_score", gettext_lazy("Theory"), gettext_lazy("Out of 100, one decimal at most."), 10),
    Column("skill_score", gettext_lazy("Skill"), gettext_lazy("Out of 100, one decimal at most."), 10),
    Column(
        "review_score",
        gettext_lazy("Comprehensive review"),
        gettext_lazy("Out of 100: levels 2 and 1 where the rule has a comprehensive review."),
        12,
    ),
    Column(
        "defence_score",
        gettext_lazy("Thesis defence"),
        gettext_lazy("Out of 100: levels 2 and 1 where the rule has a thesis defence."),
        12,
    ),
)
SCORE_KEYS = ("theory_score", "skill_score", "review_score", "defence_score")
GENDERS = {"男": "M", "女": "F", "M": "M", "F": "F"}
YES_NO = {"是": True, "否": False, "": False, "Y": True, "N": False, "YES": True, "NO": False}
# Columns a workbook may lack (older templates): read as empty.
OPTIONAL = ("work_type", "employer", "key_unit")
# Columns whose cells are text, never numbers: Excel keeps 15 significant digits of a number, so an 18-digit ID
# number typed into a General cell loses its last digits (4.50102199001011E+17) and cannot be told again.
TEXT_KEYS = ("id_number", "guard_card_number")
# Data rows of the template whose cells of ``TEXT_KEYS`` are formatted as text, one by one (the column's format
# alone is not applied by every spreadsheet program, nor kept when rows are pasted in): a session's candidates
# fit, and the template stays light to write and to read back.
TEXT_ROWS = 2000
TEXT_FORMAT = "@"


# ---------------------------------------------------------------- the template


def template_workbook(session: Session, *, rows: list[dict] | None = None) -> bytes:
    """The results template for ``session``: header with notes, validations, the plan's occupation and level.

    ``rows``: values by column key written from the second row (``current_rows``): the session's results as they
    stand, for an agency correcting them, who then changes only what is wrong instead of typing every row again."""
    plan = session.plan
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    sheet.append([str(column.label) for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.comment = Comment(str(column.note), AUTHOR, width=240, height=90)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    letter = {column.key: get_column_letter(i) for i, column in enumerate(COLUMNS, start=1)}
    last = MAX_ROWS + 1
    validations = [
        DataValidation(type="list", formula1='"男,女"', allow_blank=True),
        DataValidation(type="list", formula1='"是,否"', allow_blank=True),
        DataValidation(type="list", formula1=f'"{plan.occupation.name}"', allow_blank=False),
        DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=False),
        DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True),
        DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True),
    ]
    targets = ["gender", "key_unit", "occupation", "level", "guard_card_date", None]
    for validation, key in zip(validations, targets, strict=True):
        validation.error = _("See the note on the column's header.")
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
        if key:
            validation.add(f"{letter[key]}2:{letter[key]}{last}")
        else:
            for score in SCORE_KEYS:
                validation.add(f"{letter[score]}2:{letter[score]}{last}")
    # ID numbers as text, so that Excel neither rounds them nor shows them as 4.5E+17: the column and each cell of
    # the data rows.
    for key in TEXT_KEYS:
        sheet.column_dimensions[letter[key]].number_format = TEXT_FORMAT
        column = COLUMNS.index(next(c for c in COLUMNS if c.key == key)) + 1
        for row in range(2, max(TEXT_ROWS, len(rows or ())) + 2):
            sheet.cell(row=row, column=column).number_format = TEXT_FORMAT
    for index, values in enumerate(rows or (), start=2):
        for position, column in enumerate(COLUMNS, start=1):
            value = values.get(column.key)
            if value is not None and value != "":
                sheet.cell(row=index, column=position, value=value)
    about = workbook.create_sheet(_("Instructions")[:31])
    rule = PassRule.objects.filter(occupation=plan.occupation, level=plan.level).first()
    lines = [
        _("Evaluation: %(plan)s") % {"plan": plan},
        _("Occupation: %(occupation)s; level: %(level)s") % {"occupation": plan.occupation.name, "level": plan.level},
        _("One row per candidate, from the second row; do not change the header row."),
        _("Nothing is imported until every row is correct; errors come back marked in this workbook."),
    ]
    if rule is not None:
        lines.append(_("Pass rule: %(source)s") % {"source": pass_rule_basis(rule.source, plan.city)})
    for line in lines:
        about.append([line])
    about.column_dimensions["A"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def current_rows(session: Session) -> list[dict]:
    """The session's candidates as rows of the template, in their order, ID numbers in clear (the caller audits the
    reading): the workbook they make, uploaded unchanged, passes the check and changes nothing."""
    occupation = session.plan.occupation.name
    genders = {value: label for label, value in GENDERS.items() if len(label) == 1 and not label.isascii()}
    rows = []
    for candidate in session.candidates.order_by("row", "pk"):
        rows.append(
            {
                "name": candidate.name,
                "id_number": crypto.decrypt(candidate.id_cipher),
                "gender": genders.get(candidate.gender, ""),
                "occupation": occupation,
                "work_type": candidate.work_type,
                "level": candidate.level,
                "employer": candidate.employer,
                "key_unit": "是" if candidate.key_unit else "否",
                "guard_card_number": candidate.guard_card_number,
                "guard_card_date": candidate.guard_card_date,
                **{key: getattr(candidate, key) for key in SCORE_KEYS},
            }
        )
    return rows


# ---------------------------------------------------------------- the check


@dataclass
class RowError:
    row: int
    column: str  # a column key, or "" for the whole row
    message: str


@dataclass
class CheckedRow:
    row: int
    name: str
    id_number: str
    gender: str
    work_type: str
    level: int
    scores: Scores
    theory_exempt: bool = False
    passed: bool = False
    employer: str = ""
    key_unit: bool = False


@dataclass
class Checked:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    marked: bytes | None = None
    # A problem with the file itself (not a workbook, no header): no marked copy can be made.
    file_error: str = ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _score(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("Enter a score from 0 to 100.")) from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValidationError(_("Enter a score from 0 to 100."))
    if score != score.quantize(Decimal("0.1")):
        raise ValidationError(_("A score has one decimal at most."))
    return score


def _date(value) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None


def _labels() -> dict[str, str]:
    """Header text → column key, in every language the portal speaks."""
    found = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            found.update({str(column.label).strip(): column.key for column in COLUMNS})
    return found


def check_file(data: bytes) -> None:
    """What can be told of an upload at once, before it is queued: its size, and that it is a zip archive that
    does not unpack past ``MAX_UNPACKED_BYTES``. Raises ``ValidationError``."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."))
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationError(_("The file is not an Excel workbook (.xlsx): use the template."))
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ValidationError(_("The workbook is too large once unpacked."))
    except zipfile.BadZipFile:
        raise ValidationError(_("The file is not an Excel workbook (.xlsx): use the template.")) from None


def _open(data: bytes):
    check_file(data)
    try:
        return load_workbook(BytesIO(data))
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ValidationError(_("The file is not an Excel workbook (.xlsx): use the template.")) from None


def _rows(sheet, columns: dict[int, str]) -> Iterator[tuple[int, dict]]:
    for index, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        row = {key: values[position] if position < len(values) else None for position, key in columns.items()}
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in row.values()):
            continue
        yield index, row


# How often (in rows) the check reports its progress.
PROGRESS_EVERY = 250


def check_workbook(
    session: Session,
    data: bytes,
    *,
    correction: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Checked:
    """Check every row of an uploaded results workbook against the session's plan and the pass rules.

    ``correction``: the rows to correct after a return, each one a candidate of the session (by ID number).
    ``progress(done, total)`` is called every ``PROGRESS_EVERY`` rows."""
    checked = Checked()
    try:
        workbook = _open(data)
    except ValidationError as error:
        checked.file_error = error.messages[0]
        return checked
    sheet = workbook.worksheets[0]
    labels = _labels()
    header = [_text(cell.value) for cell in sheet[1]]
    columns = {position: labels[text] for position, text in enumerate(header) if text in labels}
    missing = [str(c.label) for c in COLUMNS if c.key not in columns.values() and c.key not in OPTIONAL]
    if missing:
        checked.file_error = _("The header row lacks the columns: %(columns)s. Use the template.") % {
            "columns": "、".join(missing)
        }
        return checked
    plan = session.plan
    rule = PassRule.objects.filter(occupation=plan.occupation, level=plan.level).first()
    exam_day = plan.first_day
    first_row_of: dict[str, int] = {}
    total = max(sheet.max_row - 1, 1)
    candidates = set(session.candidates.values_list("id_hash", flat=True)) if correction else set()
    for index, raw in _rows(sheet, columns):
        if index - 1 > MAX_ROWS:
            checked.file_error = _("A workbook holds at most %(rows)s candidates.") % {"rows": MAX_ROWS}
            return checked
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index - 1, total)
        errors: list[RowError] = []

        def refuse(key: str, message: str, row: int = index, into: list = errors) -> None:
            into.append(RowError(row, key, message))

        name = _text(raw["name"])
        if not name:
            refuse("name", _("Enter the candidate's name."))
        elif len(name) > 50:
            refuse("name", _("A name has at most 50 characters."))
        id_number = ""
        if isinstance(raw["id_number"], int | float) and not isinstance(raw["id_number"], bool):
            # A number, not text: its last digits may be lost already, a check digit's message would mislead.
            refuse(
                "id_number", _("Excel stored the ID number as a number: format the column as text and type it again.")
            )
        else:
            try:
                id_number = validate_id_number(_text(raw["id_number"]), today=exam_day)
            except ValidationError as error:
                refuse("id_number", error.messages[0])
        gender = GENDERS.get(_text(raw["gender"]).upper() or "", "")
        if _text(raw["gender"]) and not gender:
            refuse("gender", _("Enter 男 or 女."))
        elif id_number and gender and gender != gender_of(id_number):
            refuse("gender", _("The gender does not agree with the ID number."))
        occupation = _text(raw["occupation"])
        if occupation not in (plan.occupation.name, plan.occupation.code):
            refuse(
                "occupation",
                _("The evaluation plan is for %(occupation)s only.") % {"occupation": plan.occupation.name},
            )
        level_text = _text(raw["level"])
        if level_text != str(plan.level):
            refuse(
                "level",
                _("The evaluation plan is for level %(level)s only (%(label)s).")
                % {"level": plan.level, "label": Level(plan.level).label},
            )
        employer = _text(raw.get("employer"))
        if len(employer) > 100:
            refuse("employer", _("An employer's name has at most 100 characters."))
        key_unit = YES_NO.get(_text(raw.get("key_unit")).upper())
        if key_unit is None:
            refuse("key_unit", _("Enter 是 or 否."))
        elif key_unit and not employer:
            refuse("employer", _("Name the employer that is a key security unit."))
        scores = Scores(guard_card_number=_text(raw.get("guard_card_number")))
        for key in SCORE_KEYS:
            try:
                setattr(scores, key, _score(raw.get(key)))
            except ValidationError as error:
                refuse(key, error.messages[0])
        try:
            scores.guard_card_date = _date(raw.get("guard_card_date"))
        except ValidationError as error:
            refuse("guard_card_date", error.messages[0])
        if scores.guard_card_date and scores.guard_card_date > exam_day:
            refuse("guard_card_date", _("The card was issued after the exam day."))
        if scores.guard_card_date and not scores.guard_card_number:
            refuse("guard_card_number", _("Give the card's number with its date."))
        if (
            scores.guard_card_number
            and not scores.guard_card_date
            and not any(e.column == "guard_card_date" for e in errors)
        ):
            refuse("guard_card_date", _("Give the card's date of issue with its number."))
        exempt = False
        if rule is None:
            refuse("level", _("No pass rule is recorded for this occupation and level: ask the provincial centre."))
        elif not errors:
            exempt = theory_exempt(rule, scores, exam_day)
            wanted = set(required_parts(rule, exempt=exempt))
            for key in SCORE_KEYS:
                value = getattr(scores, key)
                if key in wanted and value is None:
                    if key == "theory_score" and rule.guard_card_exemption_years:
                        refuse(
                            key,
                            _(
                                "Enter the theory score, or the 保安员证 number and a date of issue within "
                                "%(years)s years before the exam day for the exemption."
                            )
                            % {"years": rule.guard_card_exemption_years},
                        )
                    else:
                        refuse(key, _("This level is examined on this part: enter the score."))
                elif key not in wanted and value is not None:
                    if key == "theory_score" and exempt:
                        refuse(key, _("The candidate is exempt from theory: leave the score empty."))
                    else:
                        refuse(key, _("This level is not examined on this part: leave it empty."))
        if id_number:
            digest = crypto.lookup_hash(id_number)
            if digest in first_row_of:
                refuse("id_number", _("The same ID number is on row %(row)s.") % {"row": first_row_of[digest]})
            elif correction and digest not in candidates:
                refuse("id_number", _("This person is not a candidate of the session: a correction changes rows."))
            else:
                first_row_of[digest] = index
        checked.errors.extend(errors)
        if not errors and rule is not None:
            outcome = evaluate(rule, scores, exam_day)
            checked.rows.append(
                CheckedRow(
                    row=index,
                    name=name,
                    id_number=id_number,
                    gender=gender or gender_of(id_number),
                    work_type=_text(raw.get("work_type"))[:50],
                    level=plan.level,
                    scores=scores,
                    theory_exempt=outcome.theory_exempt,
                    passed=outcome.passed,
                    employer=employer,
                    key_unit=bool(key_unit),
                )
            )
    if not checked.rows and not checked.errors:
        checked.file_error = _("The workbook has no candidate rows.")
        return checked
    _check_holders(session, checked, first_row_of)
    if checked.errors:
        checked.marked = _marked(workbook, sheet, columns, checked.errors)
    return checked


def _check_holders(session: Session, checked: Checked, first_row_of: dict[str, int]) -> None:
    """一人多证: a person already holding a valid certificate of this occupation and level, from any agency."""
    plan = session.plan
    digests = list(first_row_of)
    held: set[str] = set()
    for start in range(0, len(digests), 900):
        held.update(
            Certificate.objects.filter(
                id_hash__in=digests[start : start + 900],
                occupation=plan.occupation,
                level=plan.level,
                status=Certificate.Status.VALID,
            ).values_list("id_hash", flat=True)
        )
    if not held:
        return
    rows = {first_row_of[digest] for digest in held}
    checked.errors.extend(
        RowError(row, "id_number", _("This person already holds a certificate of this occupation and level."))
        for row in sorted(rows)
    )
    checked.rows = [row for row in checked.rows if row.row not in rows]


def _marked(workbook, sheet, columns: dict[int, str], errors: list[RowError]) -> bytes:
    """The uploaded workbook with each bad cell filled red and commented; its ID and card numbers' cells as text,
    so that a number typed again there is kept whole."""
    position_of = {key: position + 1 for position, key in columns.items()}
    for key in TEXT_KEYS:
        if key in position_of:
            for row in range(2, max(sheet.max_row, TEXT_ROWS + 1) + 1):
                sheet.cell(row=row, column=position_of[key]).number_format = TEXT_FORMAT
    by_cell: dict[tuple[int, int], list[str]] = {}
    for error in errors:
        column = position_of.get(error.column, 1)
        by_cell.setdefault((error.row, column), []).append(error.message)
    for (row, column), messages in by_cell.items():
        cell = sheet.cell(row=row, column=column)
        cell.fill = ERROR_FILL
        cell.comment = Comment("\n".join(messages), AUTHOR, width=260, height=100)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_label(key: str) -> str:
    for column in COLUMNS:
        if column.key == key:
            return str(column.label)
    return ""
