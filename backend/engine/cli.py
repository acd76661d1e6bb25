"""Command line: ``run`` one execution, ``bench`` a workload, ``validate`` a definition.

``run`` prints exactly one JSON object on stdout (the conformance contract) and
exits 0 whatever the execution's status; an invalid definition prints
diagnostics on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .errors import DefinitionError

EXIT_INVALID = 2


def _read_json(path: str, what: str) -> Any:
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    try:
        return json.loads(text)
    except ValueError as exc:
        raise DefinitionError("/", "INVALID_JSON_DESCRIPTION", f"{what} is not valid JSON: {exc}") from None


def _print_diagnostics(diagnostics: list[tuple[str, str, str]]) -> None:
    for pointer, code, message in diagnostics:
        print(f"{pointer or '/'}: {code}: {message}", file=sys.stderr)


def _static_diagnostics(definition: Any, workflow_type: str) -> list[tuple[str, str, str]]:
    """ERROR diagnostics of the validation module, when it is available."""
    try:
        from .validation import validate_definition
    except ImportError:
        return []
    try:
        found = validate_definition(definition, workflow_type=workflow_type)
    except Exception:  # a validator bug must not hide the interpreter's own checks
        return []
    return [(d.location, d.code, d.message) for d in found if d.severity == "ERROR"]


def cmd_run(args: argparse.Namespace) -> int:
    from .execution import Execution
    from .functions import FunctionsFileError, LocalFunctions, load_function_map
    from .program import compile_definition
    from .resources import ResourceRegistry

    try:
        definition = _read_json(args.definition, "the definition")
        if getattr(args, "validate", True):
            diagnostics = _static_diagnostics(definition, args.type)
            if diagnostics:
                _print_diagnostics(diagnostics)
                return EXIT_INVALID
        program = compile_definition(definition, workflow_type=args.type)
    except DefinitionError as error:
        _print_diagnostics([(error.pointer, error.code, error.message)])
        return EXIT_INVALID
    except OSError as exc:
        print(f"cannot read the definition: {exc}", file=sys.stderr)
        return EXIT_INVALID
    try:
        input_value = json.loads(open(args.input, encoding="utf-8").read()) if args.input else {}
    except (OSError, ValueError) as exc:
        print(f"cannot read the input: {exc}", file=sys.stderr)
        return EXIT_INVALID
    registry = ResourceRegistry()
    if args.functions:
        try:
            LocalFunctions(load_function_map(args.functions)).register(registry)
        except FunctionsFileError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_INVALID
    else:
        LocalFunctions({}).register(registry)
    result = Execution(program, input_value, registry=registry, keep_history=True).run()
    out: dict[str, Any] = {"status": result.status, "output": result.output, "error": result.error,
                           "cause": result.cause}
    out["states_entered"] = [e.details["name"] for e in result.events if e.type.endswith("StateEntered")]
    if args.history:
        out["history"] = result.history()
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import bench

    try:
        with open(args.workload, encoding="utf-8") as fh:
            definition = fh.read()
        with open(args.input, encoding="utf-8") as fh:
            input_text = fh.read()
    except OSError as exc:
        print(json.dumps({"error": f"cannot read workload: {exc}"}))
        return 1
    try:
        result = bench(definition, input_text, args.repeat, args.warmup, args.persist,
                       history=not args.no_history, workload=args.workload)
    except DefinitionError as error:
        _print_diagnostics([(error.pointer, error.code, error.message)])
        print(json.dumps({"error": f"invalid definition: {error}"}))
        return EXIT_INVALID
    print(json.dumps(result))
    return 0 if result.get("status") == "SUCCEEDED" and result.get("all_succeeded") else 1


def cmd_validate(argv: list[str]) -> int:
    try:
        from .validation.cli import main as validation_main
    except ImportError:
        print("validate: the validation module (backend.engine.validation.cli) is not available yet",
              file=sys.stderr)
        return 1
    return validation_main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "validate":
        return cmd_validate(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m backend.engine")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one execution and print its result as JSON")
    run.add_argument("--definition", required=True)
    run.add_argument("--input")
    run.add_argument("--functions")
    run.add_argument("--type", default="STANDARD", choices=["STANDARD", "EXPRESS"])
    run.add_argument("--history", action="store_true", help="include the event history")
    bench_parser = sub.add_parser("bench", help="time repeated executions of one workload")
    bench_parser.add_argument("workload")
    bench_parser.add_argument("--input", required=True)
    bench_parser.add_argument("--repeat", type=int, default=10)
    bench_parser.add_argument("--warmup", type=int, default=2)
    bench_parser.add_argument("--persist", default="none", help="none | sqlite:PATH")
    bench_parser.add_argument("--no-history", action="store_true")
    sub.add_parser("validate", help="check a definition (see the validation module)")
    args = parser.parse_args(argv)
    if args.command == "run":
        return cmd_run(args)
    return cmd_bench(args)
