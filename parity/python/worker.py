"""A long-lived AIHWKit process for the parity harness, so torch and AIHWKit are imported once per run.

Reads one job per line on stdin: {"script": "tile_io.py", "input": ..., "output": ...}; runs the
script's `run` on it (see parity_common.run_file) and answers one line on stdout:
{"ok": true} or {"ok": false, "error": "<traceback>"}. Progress goes to stderr.
"""

import importlib
import json
import sys
import traceback

from parity_common import run_file


def serve():
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            module = importlib.import_module(job["script"].removesuffix(".py"))
            run_file(module.run, job["input"], job["output"])
            answer = {"ok": True}
        except Exception:  # noqa: BLE001 - the harness reports any failure of a case
            answer = {"ok": False, "error": traceback.format_exc()}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    serve()
