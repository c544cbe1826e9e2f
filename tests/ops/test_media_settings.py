"""Where the media go: the local disk (files whole or absent) unless an S3 bucket is named."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PRINT_DEFAULT = "import json, clusterdesk.settings as s; print(json.dumps(s.STORAGES['default']))"


def media_storage(**variables: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERDESK_MEDIA_")}
    env.update(CLUSTERDESK_SECRET_KEY="settings-test-" + "s" * 40, **variables)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_DEFAULT], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(result.stdout))


def test_media_stay_on_the_local_disk_by_default() -> None:
    assert media_storage() == {"BACKEND": "clusterdesk.core.storage.MediaStorage"}


def test_media_go_to_an_s3_compatible_store_when_a_bucket_is_named() -> None:
    storage = media_storage(
        CLUSTERDESK_MEDIA_S3_BUCKET="clusterdesk-media",
        CLUSTERDESK_MEDIA_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        CLUSTERDESK_MEDIA_S3_ACCESS_KEY="key",
        CLUSTERDESK_MEDIA_S3_SECRET_KEY="secret",
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "clusterdesk-media"
    assert options["endpoint_url"] == "https://s3.fr-par.scw.cloud"
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert options["region_name"] is None  # boto3's default, not an empty string
    # Private objects, never overwritten: downloads go through the checking views.
    assert options["default_acl"] == "private" and options["file_overwrite"] is False
