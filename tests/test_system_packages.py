"""`make test` on a fresh machine of ours: Debian packages one at a time, and never Debian's npm.

Our machines carry their own Node.js and npm; Debian's `npm` conflicts with that `nodejs`
(`nodejs : Conflicts: npm`), and an `apt-get install` naming it fails as a whole, installing
nothing. These tests read what `make` would run and what `scripts/system-packages` would install.
"""
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "system-packages"


def run(*command):
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def test_make_installs_debian_packages_only_through_the_script():
    planned = run("make", "-n", "test", "bench", "run")
    assert planned.returncode == 0, planned.stderr
    assert "apt-get" not in planned.stdout, "apt-get belongs to scripts/system-packages alone"
    assert "scripts/system-packages" in planned.stdout


def test_the_script_never_installs_npm_or_nodejs_and_names_one_package_a_line():
    plan = run(str(SCRIPT), "--dry-run")
    assert plan.returncode == 0, plan.stderr
    lines = plan.stdout.splitlines()
    assert lines, "the script says what it found"
    for line in lines:
        assert re.fullmatch(r"(present|would install): [a-z0-9.+-]+", line), line
    named = {line.split(": ", 1)[1] for line in lines}
    used = {"redis-server", "chromium", "gettext", "postgresql", "mariadb-server", "libmariadb-dev", "pkg-config"}
    assert used <= named
    assert not named & {"npm", "nodejs"}
    install_commands = [line for line in SCRIPT.read_text().splitlines() if "apt-get install" in line]
    assert install_commands and all('"$package"' in line for line in install_commands)


def test_the_script_refuses_a_package_the_tests_do_not_use():
    refused = run(str(SCRIPT), "--dry-run", "npm")
    assert refused.returncode == 2
    assert "npm is not one of the packages the tests use" in refused.stderr


def test_the_script_installs_only_what_it_is_asked_for():
    plan = run(str(SCRIPT), "--dry-run", "postgresql")
    assert plan.returncode == 0, plan.stderr
    assert [line.split(": ", 1)[1] for line in plan.stdout.splitlines()] == ["postgresql"]
