"""Browser benchmarks (measurements, never tests): `make bench-browser` (also part of `make bench`).

Starts the product like `make run` (a fresh database in a temporary folder, a bench user
owning the demo data), drives Debian's Chromium with Playwright and prints:

1. editor: the 300-state definition with nested Parallel and Map (designer/bench/generate.ts)
   imported, laid out and painted, then a node dragged (open300.py);
2. execution view: a workflow producing about RATE history events per second, watched live
   in the execution view from its start; the view must end with every event of the
   history, none dropped or doubled (execution_view.py).

    PYTHONPATH=. .venv/bin/python frontend/bench/browser_bench.py [--runs 5] [--rate 200] [--only editor|execution]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import execution_view  # noqa: E402
import open300  # noqa: E402

from tests.web.live_server import clean_environment, make_run  # noqa: E402

USERNAME, PASSWORD = "bench", "bench-pass-5521"


def _manage(data_dir: Path, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL,
                   env=clean_environment({"DATA_DIR": str(data_dir)}), stdin=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="editor runs (fresh page each, after a warm-up)")
    parser.add_argument("--rate", type=int, default=200, help="history events per second the workflow aims at")
    parser.add_argument("--seconds", type=int, default=10, help="how long the execution-view workflow runs")
    parser.add_argument("--only", choices=["editor", "execution"])
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="browser-bench-") as folder:
        data_dir = Path(folder) / "data"
        with make_run(REPO_ROOT, Path(folder) / "server.log", {"DATA_DIR": str(data_dir)}) as server:
            _manage(data_dir, "shell", "-c", "from django.contrib.auth import get_user_model as m; "
                    f"m().objects.create_user({USERNAME!r}, password={PASSWORD!r})")
            _manage(data_dir, "seed_demo", "--owner", USERNAME)
            print(f"server: {server.base_url} (make run, SQLite in {data_dir})")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=open300.CHROMIUM, args=open300.CHROMIUM_ARGS)
                print(f"browser: Chromium {browser.version}, headless, 1440x900; "
                      f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (1 min)")
                status = 0
                try:
                    if args.only in (None, "editor"):
                        definition = Path(folder) / "def300.json"
                        definition.write_bytes(subprocess.run(
                            ["npx", "--no-install", "tsx", "frontend/bench/gen300.ts"], cwd=REPO_ROOT,
                            check=True, capture_output=True).stdout)
                        print("\n== editor ==")
                        print(open300.report(open300.measure(browser, server.base_url, str(definition), args.runs, (USERNAME, PASSWORD))))
                    if args.only in (None, "execution"):
                        print("\n== execution view ==")
                        result = execution_view.measure(browser, server.base_url, USERNAME, PASSWORD,
                                                        rate=args.rate, seconds=args.seconds)
                        print(result.report())
                        status = 0 if result.complete else 1
                finally:
                    browser.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
