"""``python -m backend.engine run|bench|validate ...``"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _reexec_with_project_venv() -> None:
    """Run under ``<repo>/.venv`` when this interpreter lacks the engine's dependencies."""
    try:
        import jsonata  # noqa: F401
        import jsonpath_ng  # noqa: F401
    except ImportError:
        repo = Path(__file__).resolve().parents[2]
        venv_python = repo / ".venv" / "bin" / "python"
        if venv_python.exists() and Path(sys.executable).resolve() != venv_python.resolve():
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo), env.get("PYTHONPATH")]))
            os.execve(str(venv_python), [str(venv_python), "-m", "backend.engine", *sys.argv[1:]], env)


if __name__ == "__main__":
    _reexec_with_project_venv()
    from backend.engine.cli import main

    sys.exit(main(sys.argv[1:]))
