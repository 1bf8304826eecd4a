"""CI's security gates (issue 14, item 10): ruff's security rules are on for the project, and the pip-audit step
fails on an advisory, accepts one only with a reason, and says plainly when it could not audit at all."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("pip_audit_gate", ROOT / ".ci" / "pip_audit.py")
gate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gate)


def test_ruff_reports_a_shell_injection_in_project_code():
    code = "import subprocess\n\n\ndef run(name):\n    subprocess.call('ls ' + name, shell=True)\n"
    result = subprocess.run(
        [str(Path(sys.executable).with_name("ruff")), "check", "--stdin-filename", "portal/lib/probe.py", "-"],
        cwd=ROOT,
        input=code,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "S602" in result.stdout  # subprocess call with shell=True


def dependency(name, vulns=(), skip=None):
    entry = {"name": name, "version": "1.0", "vulns": [{"id": v, "fix_versions": ["1.1"]} for v in vulns]}
    if skip:
        entry = {"name": name, "skip_reason": skip}
    return entry


def test_a_known_vulnerability_fails_the_build():
    status, lines = gate.verdict({"dependencies": [dependency("django", ["PYSEC-1"]), dependency("a")]}, {}, False)
    assert status == 1 and any("VULNERABLE django 1.0: PYSEC-1 (1.1)" in line for line in lines)


def test_an_advisory_accepted_with_its_reason_passes():
    status, _ = gate.verdict({"dependencies": [dependency("django", ["PYSEC-1"])]}, {"PYSEC-1": "not reachable"}, False)
    assert status == 0


def test_an_accepted_advisory_needs_a_reason(tmp_path, monkeypatch):
    accepted = tmp_path / "accepted.txt"
    accepted.write_text("# comment\nPYSEC-1\n")
    monkeypatch.setattr(gate, "ACCEPTED", accepted)
    with pytest.raises(SystemExit, match="without a reason"):
        gate.accepted()
    accepted.write_text("PYSEC-1  the vulnerable function is never called\n")
    assert gate.accepted() == {"PYSEC-1": "the vulnerable function is never called"}


@pytest.mark.parametrize(("strict", "status"), [(False, 0), (True, 1)])
def test_an_unreachable_service_is_said_plainly_and_fails_only_when_strict(strict, status):
    report = {"dependencies": [dependency(f"p{n}", skip="Dependency not found on PyPI") for n in range(3)]}
    got, lines = gate.verdict(report, {}, strict)
    assert got == status and "the audit was NOT done" in lines[-1]


def test_a_clean_audit_passes():
    status, lines = gate.verdict({"dependencies": [dependency("a"), dependency("b")]}, {}, True)
    assert status == 0 and lines[-1] == "No known vulnerabilities in the audited packages."
