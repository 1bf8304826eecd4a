"""`make audit`: pip-audit of requirements.txt, failing the build on a known vulnerability not accepted with a
reason in .ci/pip-audit-accepted.txt (one `VULN-ID  reason` a line).

pip-audit asks PyPI's JSON API for each pinned version's advisories. Where that service cannot be reached or does
not know the versions (a machine behind a mirror), pip-audit skips each package and still says "No known
vulnerabilities found". That is not a pass: when most packages were skipped this script says plainly that the
audit was NOT done and exits 0 — or 1 with AUDIT_STRICT=1 (set it where the service is reachable, so that a
broken network fails the build instead of hiding it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACCEPTED = ROOT / ".ci" / "pip-audit-accepted.txt"
# More than this share of packages skipped means the service did not answer for this machine.
UNREACHABLE_SHARE = 0.5


def accepted() -> dict[str, str]:
    """Accepted advisories: id → reason (a line without a reason is refused)."""
    found = {}
    if ACCEPTED.exists():
        for line in ACCEPTED.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            vuln, _, reason = line.partition(" ")
            if not reason.strip():
                raise SystemExit(f"{ACCEPTED.name}: {vuln} is accepted without a reason; give one.")
            found[vuln] = reason.strip()
    return found


def verdict(report: dict, ignored: dict[str, str], strict: bool) -> tuple[int, list[str]]:
    """The exit status and the lines to print for pip-audit's JSON ``report``."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    found = [(d, v) for d in dependencies for v in d.get("vulns", []) if v["id"] not in ignored]
    lines = [f"pip-audit: {len(dependencies)} packages, {len(skipped)} could not be audited."]
    for dependency, vuln in found:
        fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
        lines.append(f"  VULNERABLE {dependency['name']} {dependency.get('version', '')}: {vuln['id']} ({fixed})")
    if found:
        lines.append("Upgrade the packages above, or accept an advisory with its reason in .ci/pip-audit-accepted.txt.")
        return 1, lines
    if dependencies and len(skipped) / len(dependencies) > UNREACHABLE_SHARE:
        lines.append(
            "pip-audit could NOT reach its vulnerability service (PyPI's JSON API) for these versions from this "
            "machine: the audit was NOT done. Run `make audit` where pypi.org answers (set AUDIT_STRICT=1 there)."
        )
        return (1 if strict else 0), lines
    lines += [f"  skipped: {d['skip_reason']}" for d in skipped]
    lines.append("No known vulnerabilities in the audited packages.")
    return 0, lines


def main() -> int:
    ignored = accepted()
    command = [
        str(Path(sys.executable).with_name("pip-audit")),
        "--requirement",
        str(ROOT / "requirements.txt"),
        "--no-deps",  # requirements.txt pins the whole resolved set
        "--disable-pip",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        *(arg for vuln in ignored for arg in ("--ignore-vuln", vuln)),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603  our own command
    try:
        report = json.loads(completed.stdout)
    except ValueError:
        print(completed.stderr.strip()[-3000:], file=sys.stderr)
        print("pip-audit did not produce a report (above: why); the audit was NOT done.", file=sys.stderr)
        return 1 if os.environ.get("AUDIT_STRICT") == "1" else 0
    status, lines = verdict(report, ignored, strict=os.environ.get("AUDIT_STRICT") == "1")
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
