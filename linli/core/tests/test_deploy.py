"""The production settings documented in the README pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_prints_no_warnings_with_the_readme_settings(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LINLI_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        LINLI_SECRET_KEY=secrets.token_urlsafe(50),
        LINLI_PII_KEY=secrets.token_urlsafe(48),
        LINLI_ALLOWED_HOSTS="linli.example.org",
        LINLI_CSRF_TRUSTED_ORIGINS="https://linli.example.org",
        LINLI_LOCAL_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
