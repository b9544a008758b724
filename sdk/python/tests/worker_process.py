"""A worker in its own process, so a test can kill it: ``python worker_process.py NAME POOL``.

Prints ``ready ADDRESS`` once registered, then serves until SIGTERM/SIGINT (which deregister).
"""
import os
import sys

from orchestrator_sdk import serve_worker


def handle(payload, context):
    return {"python": context.instance, "echo": payload}


if __name__ == "__main__":
    name, pool = sys.argv[1], sys.argv[2]
    worker = serve_worker(
        handle, name=name, pool=pool, control_plane=os.environ["ORCHESTRATOR_TEST_ADDR"], api_key=os.environ.get("ORCHESTRATOR_TEST_API_KEY", "")
    )
    print(f"ready {worker.address}", flush=True)
    worker.serve_forever()
