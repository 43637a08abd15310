"""Chunked uploads through the API: start, chunks in any order (a resent index replaces),
finish joins them in the database into a staged file that a job parses."""

import base64

from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import from_base64

START = """mutation($input: AssessmentUploadStartInput!) { assessmentUploadStart(input: $input) {
  errors { field code } upload { id status receivedBytes } } }"""
APPEND = """mutation($input: AssessmentUploadAppendInput!) { assessmentUploadAppend(input: $input) {
  errors { field code message } upload { receivedBytes } } }"""
FINISH = """mutation($input: AssessmentUploadFinishInput!) { assessmentUploadFinish(input: $input) {
  errors { field code message } upload { status } version { id status job { id } } } }"""

HEAD = "instrument,asset_class,exposure\n"
PART_0 = HEAD + "A,equity,100\nB,bond,-50\n"  # 32 + 13 + 11 = 56 bytes
PART_1 = "C,fx,25.5\n"  # 10 bytes
PART_1_SENT_WRONG = "C,fx,x\n"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_a_file_in_chunks_becomes_a_version_parsed_by_its_job(api, world):
    from apps.assessments.models import DatasetVersion, StagedFile, UploadChunk
    from apps.assessments.selectors import version_arrays
    from apps.assessments.services.datasets import parse_as_job
    from apps.core.models import Job

    analyst = api("a", "analyst")
    taken = analyst.ok(START, {"input": {"name": "pos", "format": "CSV"}})["assessmentUploadStart"]
    assert [(e["field"], e["code"]) for e in taken["errors"]] == [("kind", "INVALID")]
    started = analyst.ok(START, {"input": {"name": "pos", "kind": "POSITIONS", "format": "CSV"}})
    upload = started["assessmentUploadStart"]["upload"]
    assert (upload["status"], upload["receivedBytes"]) == ("OPEN", 0)

    def append(index: int, text: str) -> dict:
        return analyst.ok(
            APPEND, {"input": {"upload": upload["id"], "index": index, "contentBase64": b64(text)}}
        )["assessmentUploadAppend"]

    assert append(1, PART_1_SENT_WRONG)["upload"] == {"receivedBytes": 7}
    early = analyst.ok(FINISH, {"input": {"upload": upload["id"], "chunks": 2}})
    assert early["assessmentUploadFinish"]["errors"] == [
        {"field": "chunks", "code": "INVALID", "message": "Chunks 0 to 1 are needed (missing 0)."}
    ]
    assert append(0, PART_0)["upload"] == {"receivedBytes": 63}  # 7 + 56
    assert append(1, PART_1)["upload"] == {"receivedBytes": 66}  # 10 replaces 7
    finished = analyst.ok(FINISH, {"input": {"upload": upload["id"], "chunks": 2}})
    answer = finished["assessmentUploadFinish"]
    assert answer["errors"] == [] and answer["upload"] == {"status": "FINISHED"}
    assert answer["version"]["status"] == "PARSING"
    again = analyst.ok(
        APPEND, {"input": {"upload": upload["id"], "index": 2, "contentBase64": "eA=="}}
    )
    assert again["assessmentUploadAppend"]["errors"][0]["code"] == "INVALID_TRANSITION"
    with schema_context(world.a.schema_name):
        assert not UploadChunk.objects.exists()
        job = Job.objects.get(pk=from_base64(answer["version"]["job"]["id"])[1])
        staged = StagedFile.objects.get(pk=job.input["staged"])
        assert bytes(staged.data) == (PART_0 + PART_1).encode()  # joined in order
        parse_as_job(job)
        version = DatasetVersion.objects.get(pk=from_base64(answer["version"]["id"])[1])
        assert (version.status, version.row_count) == ("ready", 3)
        arrays = version_arrays(version.pk)
        assert list(arrays["instrument"]) == ["A", "B", "C"]
        assert list(arrays["exposure"]) == [100.0, -50.0, 25.5]
        assert not StagedFile.objects.exists()
    connection.set_schema_to_public()
    # another tenant cannot append to it
    other = api("b", "admin").ok(
        APPEND, {"input": {"upload": upload["id"], "index": 0, "contentBase64": "eA=="}}
    )
    assert other["assessmentUploadAppend"]["errors"][0]["code"] == "NOT_FOUND"
