"""Uploads in an S3-compatible object store (issue 16), against a real S3 API: moto's server,
started here on a free loopback port. The insured's upload, the insured's and the back
office's downloads through core.http.stored_file_response, and the deletion when the order is
refused or abandoned, with nothing on the local disk (docs/decisions/storage-object-store.md)."""

import socket
import subprocess
import sys
import time
import uuid

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from config.storage import S3, default_storage
from guichet.cards import services
from guichet.cards.models import CardOrder
from tests.cards.factories import jpeg_bytes, pdf_bytes, upload
from tests.factories import AgentFactory, agent_login

pytestmark = pytest.mark.django_db
REGION = "eu-west-3"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server in its own process, on loopback only, stopped after the module."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    """A fresh bucket, and the settings that GUICHET_S3_* give (config/storage.py). MEDIA_ROOT
    points at a folder that must never appear: nothing may be written to the local disk."""
    name = f"guichet-{uuid.uuid4().hex[:12]}"
    for variable, value in {
        "GUICHET_S3_BUCKET": name,
        "GUICHET_S3_ENDPOINT_URL": s3_endpoint,
        "GUICHET_S3_REGION": REGION,
        "GUICHET_S3_ACCESS_KEY_ID": "guichet-test",
        "GUICHET_S3_SECRET_ACCESS_KEY": "guichet-test-secret",
        "GUICHET_S3_ADDRESSING_STYLE": "path",
        "GUICHET_S3_PREFIX": "televersements",
        "GUICHET_S3_SERVER_SIDE_ENCRYPTION": "AES256",
    }.items():
        monkeypatch.setenv(variable, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="guichet-test",
        aws_secret_access_key="guichet-test-secret",
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.MEDIA_ROOT = tmp_path / "media-never-used"
    settings.STORAGES = {**settings.STORAGES, "default": default_storage()}
    yield client, name
    assert not settings.MEDIA_ROOT.exists()


def _objects(client, name) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=name).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=name, Key=item["Key"])["Body"].read()
        for item in listing
    }


def _draft(insured):
    return services.card_order_start(user=insured, beneficiary=insured.person)


def test_settings_without_a_bucket_keep_the_local_disk(monkeypatch):
    monkeypatch.delenv("GUICHET_S3_BUCKET", raising=False)
    assert default_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.parametrize(
    "variables",
    [
        {"GUICHET_S3_ACCESS_KEY_ID": "seule"},
        {"GUICHET_S3_ADDRESSING_STYLE": "chemin"},
        {"GUICHET_S3_SERVER_SIDE_ENCRYPTION": "oui"},
    ],
)
def test_settings_fail_loudly_on_a_bad_value(monkeypatch, variables):
    monkeypatch.setenv("GUICHET_S3_BUCKET", "guichet")
    for variable, value in variables.items():
        monkeypatch.setenv(variable, value)
    with pytest.raises(ImproperlyConfigured):
        default_storage()


def test_upload_download_and_deletion_in_the_object_store(bucket, insured_client, insured):
    client, name = bucket
    order = _draft(insured)
    assert isinstance(order.photo.storage, import_string(S3))

    response = insured_client.post(
        f"/mes-demarches/carte-vitale/commande/{order.pk}/photo/",
        {"photo": upload("p.jpg", jpeg_bytes())},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = insured_client.post(
        f"/mes-demarches/carte-vitale/commande/{order.pk}/piece-identite/",
        {"document_type": "passport", "document": upload("d.pdf", pdf_bytes(), "application/pdf")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    order.refresh_from_db()
    stored = _objects(client, name)
    assert set(stored) == {
        f"televersements/{order.photo.name}",
        f"televersements/{order.document.name}",
    }
    head = client.head_object(Bucket=name, Key=f"televersements/{order.photo.name}")
    assert head["ServerSideEncryption"] == "AES256"

    photo = insured_client.get(f"/mes-demarches/carte-vitale/commande/{order.pk}/fichier/photo/")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert photo.content == stored[f"televersements/{order.photo.name}"]
    assert photo.content.startswith(b"\xff\xd8\xff")

    services.card_order_submit(order=order, user=insured)
    agent = AgentFactory(back_office=True)
    agent_login(insured_client, agent)
    document = insured_client.get(f"/agents/cartes-vitale/{order.pk}/fichier/piece-identite/")
    assert document.status_code == 200
    assert document["Content-Type"] == "application/pdf"
    assert document.content == stored[f"televersements/{order.document.name}"]

    assert services.card_order_claim(order_id=order.pk, agent=agent)
    refused = insured_client.post(
        f"/agents/cartes-vitale/{order.pk}/",
        {"decision": "reject", "reason": "Photo floue"},
    )
    assert refused.status_code == 302
    assert _objects(client, name) == {}
    order.refresh_from_db()
    assert not order.photo and not order.document
    gone = insured_client.get(f"/agents/cartes-vitale/{order.pk}/fichier/photo/")
    assert gone.status_code == 404


def test_an_abandoned_draft_leaves_nothing_in_the_bucket(
    bucket, insured_client, insured, django_capture_on_commit_callbacks
):
    client, name = bucket
    order = services.card_order_attach_photo(
        order=_draft(insured), upload=upload("p.jpg", jpeg_bytes())
    )
    assert list(_objects(client, name)) == [f"televersements/{order.photo.name}"]
    with django_capture_on_commit_callbacks(execute=True):
        response = insured_client.post(f"/mes-demarches/carte-vitale/commande/{order.pk}/abandon/")
    assert response.status_code == 302
    assert not CardOrder.objects.filter(pk=order.pk).exists()
    assert _objects(client, name) == {}
