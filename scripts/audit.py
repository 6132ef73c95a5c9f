"""`make audit`: known vulnerabilities in the pinned dependencies (pip-audit over
requirements.lock) and a static security scan of src/ (bandit, settings in pyproject.toml).

pip-audit needs its vulnerability database (PyPI's JSON API, or OSV with
KANWU_AUDIT_SERVICE=osv). When it cannot be reached pip-audit still says "No known
vulnerabilities found", having skipped every package: this script counts what was really
checked and says "未检查 / NOT CHECKED" (exit status 2) rather than passing. Exit status 1: a
vulnerability or a bandit finding; 0: everything was checked and nothing was found.
Reports are written to test-artifacts/ (pip-audit.json, bandit.json).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("KANWU_TEST_ARTIFACTS", ROOT / "test-artifacts"))
NOT_CHECKED = 2


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def pip_audit() -> int:
    report = OUT / "pip-audit.json"
    report.unlink(missing_ok=True)
    service = os.environ.get("KANWU_AUDIT_SERVICE", "pypi")
    print(f"pip-audit：检查 requirements.lock 中的依赖（漏洞数据库：{service}）……")
    result = run(
        ["pip_audit", "--requirement", "requirements.lock", "--no-deps", "--disable-pip",
         "--progress-spinner", "off", "--vulnerability-service", service,
         "--format", "json", "--output", str(report)]
    )  # fmt: skip
    if not report.exists() or not report.stat().st_size:
        print("\n".join(result.stderr.strip().splitlines()[-3:]))
        print("pip-audit 未能检查：无法连接漏洞数据库。")
        print("NOT CHECKED (vulnerability database unreachable)")
        return NOT_CHECKED
    dependencies = json.loads(report.read_text(encoding="utf-8"))["dependencies"]
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    vulns = sum(len(dep["vulns"]) for dep in vulnerable)
    print(
        f"pip-audit：{len(dependencies)} 个依赖，已检查 {len(dependencies) - len(skipped)} 个，"
        f"未能检查 {len(skipped)} 个，已知漏洞 {vulns} 个。"
    )
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = "、".join(vuln.get("fix_versions") or []) or "暂无"
            print(f"  {dep['name']} {dep['version']}: {vuln['id']}（修复版本：{fixed}）")
    if vulns:
        return 1
    if skipped:
        print(f"  例如：{skipped[0]['skip_reason']}")
        print(
            "有依赖未能检查（漏洞数据库不可达，或其中没有该包），结果不完整。"
            "NOT CHECKED (some dependencies could not be audited)"
        )
        return NOT_CHECKED
    return 0


def bandit() -> int:
    report = OUT / "bandit.json"
    print("bandit：扫描 src/（配置见 pyproject.toml 的 [tool.bandit]）……")
    run(["bandit", "-c", "pyproject.toml", "-r", "src", "-q", "-f", "json", "-o", str(report)])
    if not report.exists():
        print("bandit 未能运行。NOT CHECKED")
        return NOT_CHECKED
    data = json.loads(report.read_text(encoding="utf-8"))
    issues = data.get("results", [])
    lines = data.get("metrics", {}).get("_totals", {}).get("loc", 0)
    print(f"bandit：扫描 {lines} 行代码，发现 {len(issues)} 个问题。")
    for issue in issues:
        print(
            f"  {issue['filename']}:{issue['line_number']} {issue['test_id']} "
            f"[{issue['issue_severity']}] {issue['issue_text']}"
        )
    return 1 if issues else 0


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    statuses = [pip_audit(), bandit()]
    if 1 in statuses:
        return 1
    return max(statuses)


if __name__ == "__main__":
    sys.exit(main())
