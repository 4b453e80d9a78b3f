"""`make demo-llm`: one country-week written through every section by a real model server.

Starts llama-server on 127.0.0.1 with a model of scripts/llm_server.py (default the largest,
Qwen2.5-Coder-1.5B-Instruct; WATCHFLOOR_LLM_SERVER_MODEL or --model for another), points Watchfloor
at it and runs `watchfloor run` for the week and country into its own data folder (data/llm-demo
unless WATCHFLOOR_DATA says otherwise), then stops the server. The CLI shows each request while it is
under way and each section's tokens, calls and wall time when it is done; the report says which
sections the model wrote and which the offline writer had to (and why).

    python scripts/demo_llm.py [--model qwen2.5-0.5b] [--country MN] [--week 2026-06-24]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from llm_server import MODELS, start  # run as a script: its own folder is on the path

DEMO_MODEL = "qwen2.5-1.5b"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=os.environ.get("WATCHFLOOR_LLM_SERVER_MODEL", DEMO_MODEL),
                        choices=sorted(MODELS))
    parser.add_argument("--country", default="MN")
    parser.add_argument("--week", default="2026-06-24")
    args = parser.parse_args()
    print(f"starting llama-server with {args.model} (the first time builds it: 12-20 minutes)", flush=True)
    server = start(model=args.model)
    env = os.environ | server.environment()
    env.setdefault("WATCHFLOOR_DATA", "data/llm-demo")
    try:
        run = [str(Path(sys.executable).with_name("watchfloor")), "run", "--week", args.week, "--country", args.country]
        code = subprocess.run(run, env=env).returncode
    finally:
        server.stop()
    report = Path(env["WATCHFLOOR_DATA"]) / "reports" / args.country / args.week / "report.md"
    print(f"the report ({server.alias} asked for every section; its provenance paragraph says what it wrote): {report}"
          if report.is_file() else "no report was written")
    return code


if __name__ == "__main__":
    sys.exit(main())
