"""``python -m backend.engine validate DEF.json [--type STANDARD|EXPRESS] [--strict] [--json]``

Prints one line per diagnostic, ``LOCATION  CODE  message`` (or the whole report as
JSON with ``--json``) and a one-line summary on stderr. Exit status: 0 valid,
1 invalid, 2 when the file cannot be read or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import json
import sys

from backend.engine.validation import validate


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m backend.engine validate",
        description="Check a TCSL / Amazon States Language definition without running it.",
    )
    parser.add_argument("definition", help="path of the definition JSON file ('-' reads standard input)")
    parser.add_argument("--type", dest="workflow_type", default="STANDARD", type=str.upper,
                        choices=("STANDARD", "EXPRESS"), help="workflow type (default STANDARD)")
    parser.add_argument("--strict", action="store_true",
                        help="plain ASL: unreachable states and TCSL extensions are errors")
    parser.add_argument("--json", action="store_true", help="print the diagnostics as a JSON list")
    return parser


def main(argv: list[str]) -> int:
    if argv and argv[0] == "validate":
        argv = argv[1:]
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return 0 if exc.code == 0 else 2
    try:
        if args.definition == "-":
            text = sys.stdin.read()
        else:
            with open(args.definition, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {args.definition}: {exc}", file=sys.stderr)
        return 2

    report = validate(text, workflow_type=args.workflow_type, strict=args.strict)
    if args.json:
        print(json.dumps([d.to_dict() for d in report.diagnostics], indent=2, ensure_ascii=False))
    else:
        for diagnostic in report.diagnostics:
            print(f"{diagnostic.location}  {diagnostic.code}  {diagnostic.message}")
    errors = sum(d.severity == "ERROR" for d in report.diagnostics)
    warnings = len(report.diagnostics) - errors
    more = " (truncated: there are more)" if report.truncated else ""
    verdict = "invalid" if errors else "valid"
    print(f"{verdict}: {errors} error(s), {warnings} warning(s){more}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
