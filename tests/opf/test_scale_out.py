"""Ready to scale out (#24): web processes hold no state of their own.

* Uploaded files go through Django's storage API: with ``OPF_S3_BUCKET`` set, an
  S3-compatible store (here moto's S3 server, a process of its own speaking the
  S3 protocol over HTTP). A file uploaded through one web process is downloaded,
  the same bytes, through another, with nothing written to either's media folder.
* Celery workers on several machines share the broker: two worker processes on
  the one queue both take tasks (each result names the worker that ran it).

Real processes (gunicorn, moto_server, Celery workers) on the test database, as
the fault tests start them (``tests/opf/fault_support.py``).
"""

from __future__ import annotations

import gc
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import pytest
import requests
import yaml
from rest_framework.authtoken.models import Token

from opf.celery import app
from opf.tasks import ping
from tests.deployment.factories import ProcessAssetFactory
from tests.opf.fault_support import (
    BIN,
    ROOT,
    Process,
    free_port,
    process_env,
    wait_for,
    web_server,
    worker,
)

BUCKET = "opf-files"
KEYS = {"AWS_ACCESS_KEY_ID": "opf-test-key", "AWS_SECRET_ACCESS_KEY": "opf-test-secret"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@contextmanager
def s3_server() -> Iterator[str]:
    """moto's S3 server in a process of its own; yields its endpoint URL."""
    port = free_port()
    process = Process(
        "moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], process_env()
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            requests.get(url, timeout=2)
        except requests.RequestException:
            return False
        return True

    try:
        if not wait_for(answers, timeout=30, step=0.2):
            raise AssertionError(f"moto_server did not start:\n{process.output()}")
        yield url
    finally:
        process.stop()
        process.log.unlink(missing_ok=True)


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.mark.real_clock  # web servers and an S3 server in processes of their own
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_uploaded_through_one_web_process_is_downloaded_through_another(
    people, client, tmp_path: Path
):
    asset = ProcessAssetFactory()
    token = Token.objects.create(user=people.epg)
    client.force_login(people.epg)
    content = PDF + secrets.token_bytes(200_000)  # a PDF by its header, 200 kB
    media = {name: tmp_path / name for name in ("media-a", "media-b")}
    with s3_server() as endpoint:
        s3 = s3_client(endpoint)
        s3.create_bucket(Bucket=BUCKET)
        stored = {
            "OPF_S3_BUCKET": BUCKET,
            "OPF_S3_ENDPOINT_URL": endpoint,
            "OPF_S3_REGION": "us-east-1",
            **KEYS,
        }
        with (
            web_server("scale-a", MEDIA_ROOT=str(media["media-a"]), **stored) as one,
            web_server("scale-b", MEDIA_ROOT=str(media["media-b"]), **stored) as other,
        ):
            uploaded = requests.post(
                f"{one}/api/v1/asset-versions/upload/",
                data={"asset": asset.pk, "number": "2.0", "change_summary": "Scaled out."},
                files={"file": ("plan.pdf", content, "application/pdf")},
                headers={"Authorization": f"Token {token.key}"},
                timeout=60,
            )
            assert uploaded.status_code == 201, uploaded.text[:2000]
            download = uploaded.json()["file"]  # the signed-in download page's address
            assert download.startswith(one) and download.endswith("/file/")

            browser = requests.Session()
            browser.cookies.set("sessionid", client.cookies["sessionid"].value)
            got = browser.get(download.replace(one, other), timeout=60)
            assert got.status_code == 200, got.text[:2000]
            assert got.content == content
            assert got.headers["Content-Disposition"].startswith("attachment")
            assert got.headers["Content-Security-Policy"].startswith("sandbox")
            anonymous = requests.get(
                download.replace(one, other), timeout=60, allow_redirects=False
            )
            assert anonymous.status_code in (302, 403)  # through the app, checked

        listed = s3.list_objects_v2(Bucket=BUCKET)["Contents"]
        assert [o["Key"] for o in listed] == [f"assets/{asset.pk}/plan.pdf"]
        assert s3.get_object(Bucket=BUCKET, Key=listed[0]["Key"])["Body"].read() == content
    # Nothing on either web process's disk.
    assert not any(p.is_file() for folder in media.values() for p in folder.rglob("*"))


@pytest.mark.celery_worker
@pytest.mark.real_clock  # Celery workers in processes of their own
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_on_one_queue_both_take_tasks():
    """What two machines' workers on one broker do: each takes tasks from the one
    queue as it is free. (The two run on this machine; a worker knows the others
    only through the broker.)"""
    app.control.purge()
    with worker("scale-a") as first, worker("scale-b") as second:
        ready = wait_for(lambda: all("ready" in w.output() for w in (first, second)), 60, 0.2)
        assert ready, first.output() + second.output()
        names = {f"scale-a-{os.getpid()}@", f"scale-b-{os.getpid()}@"}
        seen: set[str] = set()
        for _wave in range(5):  # a wave of tasks; more until both have taken some
            results = [ping.delay() for _ in range(20)]
            assert [r.get(timeout=60) for r in results] == ["pong"] * 20
            seen |= {r.worker for r in results}
            if len(seen) == 2:
                break
        assert {name.split("@")[0] + "@" for name in seen} == names, seen


def test_the_compose_file_runs_web_replicas_behind_the_proxy():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    web, proxy = services["web"], services["proxy"]
    assert web["deploy"]["replicas"] == "${OPF_WEB_REPLICAS:-2}"
    assert "ports" not in web  # reached through the proxy only
    assert web["command"][:3] == ["gunicorn", "-c", "python:opf.gunicorn_config"]
    assert web["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "migrate" in services["migrate"]["command"] and "migrate" not in str(web["command"])
    assert proxy["ports"] == ["${OPF_PORT:-8000}:80"]
    config = proxy["volumes"][0].split(":")[0]
    assert "server web:8000 resolve" in (ROOT / config).read_text()
    assert services["worker"]["deploy"]["replicas"] == "${OPF_WORKER_REPLICAS:-1}"


def test_a_gunicorn_worker_freezes_what_it_loaded_and_raises_the_thresholds():
    """``post_worker_init`` (gunicorn's hook once a worker loaded the app) leaves the
    collector nothing of the app to walk in a full collection."""
    from opf import gunicorn_config

    before = gc.get_threshold()
    try:
        gunicorn_config.post_worker_init(None)
        assert gc.get_freeze_count() > 50_000  # modules, models, URL patterns...
        assert gc.get_threshold() == gunicorn_config.GC_THRESHOLDS == (10000, 10, 10)
        assert len(gc.get_objects()) < gc.get_freeze_count()
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_a_worker_collects_between_requests_what_the_next_one_would_trigger():
    """After a response (gunicorn's ``post_request``) the generation one step from its
    threshold is collected, the oldest such first; a young generation past half its
    threshold is collected; otherwise nothing runs."""
    from opf import gunicorn_config

    before = gc.get_threshold()
    try:
        gc.set_threshold(1_000_000, 3, 2)  # no collection of its own during the test
        gc.collect()  # every count at 0
        assert gunicorn_config.collect_between_requests() is None
        gc.collect(0)
        gc.collect(0)  # two young collections: the third would take generation 1 along
        assert gc.get_count()[1] == 2
        gunicorn_config.post_request(None, None, None, None)
        assert gc.get_count()[1:] == (0, 1)  # generation 1 collected, once
        gc.collect(0)
        gc.collect(0)  # generation 1 due again, and generation 2 one step away
        assert gunicorn_config.collect_between_requests() == 2
        assert gc.get_count()[1:] == (0, 0)
        kept = [[] for _ in range(600_000)]  # 600,000 young objects alive
        assert gc.get_count()[0] >= 500_000
        assert gunicorn_config.collect_between_requests() == 0
        assert gc.get_count()[0] < 1000 and kept
    finally:
        gc.set_threshold(*before)
