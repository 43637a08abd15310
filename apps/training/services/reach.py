"""Campaign reach per period from a CSV/XLSX file (a channel's export), upserted by (campaign
code, period start): all or nothing with every row's problems, the same file twice changes
nothing. Each touched campaign's `reached` becomes the sum of its periods' learners, which
the daily `education_campaign_reach` indicator reads."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils.dateparse import parse_date

from apps.core.tabular import (
    HEADER_ROW,
    RowError,
    RowsRejected,
    UnreadableFile,
    header_names,
    read_rows,
)
from apps.training.errors import TrainingErrorCode as Code
from apps.training.models import CampaignReach, EducationCampaign
from apps.training.services.importing import MAX_BYTES, MAX_ROWS, ImportOutcome, file_error

COLUMNS = (
    "campaign_code",
    "period_start",
    "period_end",
    "impressions",
    "learners",
    "completions",
    "quiz_pass_rate",
)
REQUIRED = ("campaign_code", "period_start", "period_end", "learners")
COUNTS = ("impressions", "learners", "completions")


def _parse(rows: list[list[str]]):
    headings = header_names(rows[0])
    missing = [c for c in REQUIRED if c not in headings]
    if missing:
        raise file_error(f"Missing columns: {', '.join(missing)}.")
    unknown = [rows[0][i] for i, h in enumerate(headings) if h and h not in COLUMNS]
    if unknown:
        raise file_error(f"Unknown columns: {', '.join(unknown)}.")
    data = [(n, cells) for n, cells in enumerate(rows[1:], HEADER_ROW + 1) if any(cells)]
    if not data:
        raise file_error("The file has no rows.")
    if len(data) > MAX_ROWS:
        raise file_error(f"At most {MAX_ROWS} rows per file.")
    label = {h: rows[0][i] for i, h in enumerate(headings) if h}
    campaigns = {c.code: c for c in EducationCampaign.objects.all()}
    errors: list[RowError] = []
    parsed: dict[tuple, tuple[int, dict]] = {}
    for number, cells in data:
        values = {
            h: (cells[i] if i < len(cells) else "").strip() for i, h in enumerate(headings) if h
        }

        def bad(column: str, message: str, code: Code = Code.INVALID, number=number) -> None:
            errors.append(RowError(number, label.get(column), message, code.value))

        campaign = campaigns.get(values["campaign_code"])
        if campaign is None:
            bad("campaign_code", "No campaign has this code.", Code.NOT_FOUND)
        start, end = parse_date(values["period_start"] or "x"), None
        if start is None:
            bad("period_start", "A date (YYYY-MM-DD).")
        end = parse_date(values["period_end"] or "x")
        if end is None:
            bad("period_end", "A date (YYYY-MM-DD).")
        elif start is not None and end < start:
            bad("period_end", "The period ends before it starts.")
        row: dict = {}
        for column in COUNTS:
            text = values.get(column, "") or "0"
            if not text.isdigit() or int(text) > 2**31 - 1:
                bad(column, "A whole number, 0 or more.")
            else:
                row[column] = int(text)
        if row.get("completions", 0) > row.get("learners", 0) and "learners" in row:
            bad("completions", "More completions than learners.")
        rate = values.get("quiz_pass_rate", "").removesuffix("%").strip()
        row["quiz_pass_rate"] = None
        if rate:
            try:
                row["quiz_pass_rate"] = Decimal(rate)
            except InvalidOperation:
                row["quiz_pass_rate"] = Decimal(-1)
            if not Decimal(0) <= row["quiz_pass_rate"] <= Decimal(100):
                bad("quiz_pass_rate", "A share between 0 and 100.")
        if campaign is not None and start is not None:
            key = (campaign.pk, start)
            if key in parsed:
                bad("period_start", f"The same period as row {parsed[key][0]}.")
            parsed[key] = (number, {**row, "period_end": end})
    if errors:
        raise RowsRejected(errors)
    return parsed


@transaction.atomic
def reach_import(*, content: bytes, file_format: str, actor=None) -> ImportOutcome:
    """Raises RowsRejected listing every problem; then nothing is written."""
    if len(content) > MAX_BYTES:
        raise file_error(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        rows = list(read_rows(content, file_format))
    except UnreadableFile as exc:
        raise file_error(str(exc)) from exc
    if not rows:
        raise file_error("The file is empty.")
    parsed = _parse(rows)
    known = {
        (r.campaign_id, r.period_start): r
        for r in CampaignReach.objects.filter(
            campaign_id__in={k[0] for k in parsed}, period_start__in={k[1] for k in parsed}
        )
    }
    created = updated = unchanged = 0
    for (campaign_id, start), (_, values) in parsed.items():
        current = known.get((campaign_id, start))
        if current is None:
            CampaignReach.objects.create(campaign_id=campaign_id, period_start=start, **values)
            created += 1
        elif any(getattr(current, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(current, field, value)
            current.save()
            updated += 1
        else:
            unchanged += 1
    for campaign in EducationCampaign.objects.filter(pk__in={k[0] for k in parsed}):
        total = campaign.reach_periods.aggregate(n=Sum("learners"))["n"] or 0
        if campaign.reached != total:
            campaign.reached = total
            campaign.save(update_fields=["reached", "updated_at"])
    return ImportOutcome(created=created, updated=updated, unchanged=unchanged)
