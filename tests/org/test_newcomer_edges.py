"""Issue #12's rough edges around org: the HR officer page links to that officer's hours; `make run` stops cleanly."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_hr_officer_page_links_to_the_officers_hours(client, world):
    client.force_login(world.hr)
    html = client.get(reverse("org:officer_detail", args=[world.a1.pk])).content.decode()
    hours = reverse("learning:officer_ledger", args=[world.a1.pk])
    assert f'href="{hours}"' in html
    assert client.get(hours).status_code == 200


def test_leader_follows_the_hours_link_inside_the_subtree(client, world):
    client.force_login(world.leader)
    html = client.get(reverse("org:officer_detail", args=[world.a2.pk])).content.decode()
    hours = reverse("learning:officer_ledger", args=[world.a2.pk])
    assert f'href="{hours}"' in html and client.get(hours).status_code == 200


def _make_run(tmp_path) -> subprocess.Popen:
    """`make run` with stand-ins for the venv's programs (BIN), so that only the recipe's signal handling runs:
    python exits at once for collectstatic and sleeps as the sweeper; uvicorn stops cleanly on INT/TERM like the
    real one and leaves its pid. `-o seed` skips the seeding prerequisite."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").write_text('#!/bin/sh\n[ "$2" = collectstatic ] && exit 0\nexec sleep 60\n')
    # The pid file is written once the handlers are in place, so the test signals a server that is "up".
    server = tmp_path / "server.py"
    server.write_text(
        "import os, signal, sys, time\n"
        "for s in (signal.SIGINT, signal.SIGTERM):\n"
        "    signal.signal(s, lambda *a: sys.exit(0))\n"
        f"open({str(tmp_path / 'uvicorn.pid')!r}, 'w').write(str(os.getpid()))\n"
        "time.sleep(60)\n"
    )
    (bin_dir / "uvicorn").write_text(f"#!/bin/sh\nexec python3 {server}\n")
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    process = subprocess.Popen(
        ["make", "-s", "-o", "seed", "run", f"BIN={bin_dir}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as in a terminal
        # Signals as a terminal's foreground job has them, whatever the test runner ignores.
        preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGTERM)],
    )
    pid_file = tmp_path / "uvicorn.pid"
    for _ in range(300):
        if pid_file.exists() and pid_file.read_text().strip():
            break
        time.sleep(0.1)
    return process


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_make_run_stops_without_an_error_on_ctrl_c_or_term(tmp_path, sig):
    """Ctrl-C reaches the whole foreground group (make, the recipe, the server): no "make: *** Error 143" and no
    "kill: No such process"; make itself then ends by the same signal, as every program stopped so does."""
    process = _make_run(tmp_path)
    os.killpg(process.pid, sig)
    output, _ = process.communicate(timeout=45)
    text = output.decode()
    assert "Error" not in text and "***" not in text and "No such process" not in text, text
    assert process.returncode in (0, -sig)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_exits_0_when_the_server_is_stopped(tmp_path):
    """A service manager stopping the server (TERM to uvicorn) ends `make run` with status 0, sweeper stopped."""
    process = _make_run(tmp_path)
    os.kill(int((tmp_path / "uvicorn.pid").read_text()), signal.SIGTERM)
    output, _ = process.communicate(timeout=45)
    assert process.returncode == 0, output.decode()
