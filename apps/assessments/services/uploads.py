"""Chunked uploads through the API: start → append chunks (each within the request size) →
finish, which stages the joined file and queues its parse job — so a 1,000,000-row file need
not go through the admin. The web process never holds the whole file: the chunks are joined
by PostgreSQL into the staged file."""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from apps.assessments.errors import AssessmentErrorCode as Code
from apps.assessments.models import (
    Dataset,
    DatasetKind,
    StagedFile,
    UploadChunk,
    UploadSession,
    UploadStatus,
)
from apps.assessments.services import datasets
from apps.core.errors import refuse
from apps.core.lifecycle import Lifecycle, transition

CHUNK_MAX_BYTES = 6 * 1024 * 1024  # what one API request carries (DATA_UPLOAD_MAX_MEMORY_SIZE)
MAX_CHUNKS = 1 + datasets.MAX_BYTES // (1024 * 1024)  # 1 MB chunks and up reach MAX_BYTES
OPEN_FOR = timedelta(days=1)  # an upload left open longer is dropped by the tick

UPLOAD_LIFECYCLE = Lifecycle(
    model=UploadSession,
    statuses=UploadStatus,
    table={UploadStatus.OPEN: {UploadStatus.FINISHED}, UploadStatus.FINISHED: set()},
    refusal_code=Code.INVALID_TRANSITION,
    field="upload_id",
    noun="upload",
    internal={UploadStatus.FINISHED},  # only finishing the upload moves it
)


@transaction.atomic
def upload_start(
    *,
    file_format: str,
    dataset_id=None,
    name: str = "",
    kind: str = "",
    description: str = "",
    actor=None,
) -> UploadSession:
    """Check what can be checked before any byte arrives (format, dataset or name and kind)."""
    if file_format not in datasets.FORMATS:
        raise refuse("file_format", f"One of {', '.join(datasets.FORMATS)}.", Code.INVALID)
    if dataset_id is not None:
        if not Dataset.objects.filter(pk=dataset_id).exists():
            raise refuse("dataset_id", "No such dataset.", Code.NOT_FOUND)
        name, kind, description = "", "", ""
    else:
        name = (name or "").strip()
        if not name or len(name) > 120:
            raise refuse("name", "A new dataset needs a name (up to 120 characters).", Code.INVALID)
        if kind not in DatasetKind.values:
            raise refuse("kind", "A new dataset needs a kind.", Code.INVALID)
        if Dataset.objects.filter(name=name).exists():
            raise refuse("name", "A dataset of this name exists.", Code.NAME_TAKEN)
    return UploadSession.objects.create(
        dataset_id=dataset_id,
        name=name,
        kind=kind,
        description=description,
        file_format=file_format,
        created_by=actor,
    )


def _open(upload_id) -> UploadSession:
    session = UploadSession.objects.select_for_update().filter(pk=upload_id).first()
    if session is None:
        raise refuse("upload_id", "No such upload.", Code.NOT_FOUND)
    if session.status != UploadStatus.OPEN:
        raise refuse("upload_id", "This upload is finished.", Code.INVALID_TRANSITION)
    return session


@transaction.atomic
def upload_append(*, upload_id, index: int, content: bytes) -> UploadSession:
    """Chunk `index` (0, 1, 2, …). Sending an index again replaces it (a retried request)."""
    session = _open(upload_id)
    if not content or len(content) > CHUNK_MAX_BYTES:
        raise refuse("content", f"1 byte to {CHUNK_MAX_BYTES // 2**20} MB a chunk.", Code.INVALID)
    if not 0 <= index < MAX_CHUNKS:
        raise refuse("index", f"0 to {MAX_CHUNKS - 1}.", Code.OUT_OF_RANGE)
    previous = UploadChunk.objects.filter(session=session, index=index).first()
    replaced = len(previous.data) if previous else 0
    if session.received_bytes - replaced + len(content) > datasets.MAX_BYTES:
        raise refuse(
            "content", f"A file is at most {datasets.MAX_BYTES // 2**20} MB.", Code.OUT_OF_RANGE
        )
    if previous:
        previous.data = content
        previous.save(update_fields=["data"])
    else:
        UploadChunk.objects.create(session=session, index=index, data=content)
    session.received_bytes += len(content) - replaced
    session.save(update_fields=["received_bytes", "updated_at"])
    return session


@transaction.atomic
def upload_finish(*, upload_id, chunks: int, actor=None):
    """Join chunks 0 … chunks − 1 into a staged file and queue its parse (a new version,
    PARSING); the session's chunks are dropped. Refused when one is missing."""
    session = _open(upload_id)
    have = list(
        UploadChunk.objects.filter(session=session)
        .order_by("index")
        .values_list("index", flat=True)
    )
    if chunks < 1 or have != list(range(chunks)):
        missing = sorted(set(range(max(chunks, 0))) - set(have))[:10]
        detail = f"missing {', '.join(map(str, missing))}" if missing else f"{len(have)} sent"
        raise refuse("chunks", f"Chunks 0 to {chunks - 1} are needed ({detail}).", Code.INVALID)
    dataset = datasets.dataset_for_upload(
        dataset_id=session.dataset_id,
        name=session.name,
        kind=session.kind,
        description=session.description,
        actor=actor,
    )
    version = datasets.new_version(dataset, session.file_format, actor)
    with connection.cursor() as cursor:  # joined in the database: never whole in this process
        cursor.execute(
            f"INSERT INTO {StagedFile._meta.db_table} (data, created_at) "
            f"SELECT string_agg(data, ''::bytea ORDER BY index), now() "
            f"FROM {UploadChunk._meta.db_table} WHERE session_id = %s RETURNING id",
            [session.pk],
        )
        staged = StagedFile(pk=cursor.fetchone()[0])
    UploadChunk.objects.filter(session=session).delete()
    transition(
        session, UploadStatus.FINISHED, actor=actor, internal=True, changes={"version": version}
    )
    return datasets.parse_later(version, staged, actor)


def drop_stale_uploads(now=None) -> dict:
    """Tick handler: uploads left open for a day are dropped with their chunks."""
    cutoff = (now or timezone.now()) - OPEN_FOR
    _, by_model = UploadSession.objects.filter(
        status=UploadStatus.OPEN, updated_at__lt=cutoff
    ).delete()
    return {"dropped": by_model.get(UploadSession._meta.label, 0)}
