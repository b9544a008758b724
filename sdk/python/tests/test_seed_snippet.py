"""The seed's `requests` snippet (shared/seeds/001), with only the host changed, routes to A."""
from __future__ import annotations

import os
import subprocess
import sys
import unittest

from .support import ADDRESS, API_KEY, needs_control_plane

# As the seed writes it; `import os` and the print are the only lines added (the seed's snippet
# uses os without importing it, and shows no output).
SNIPPET = """
import requests
headers = {'Authorization': f'Bearer {os.environ["ORCHESTRATOR_API_KEY"]}'}
response = requests.post('http://api.openclaw/orchestrator/route', json={'instances': ['A'], 'payload': {'data': 'task'}}, headers=headers)
"""


@needs_control_plane
class SeedSnippetTest(unittest.TestCase):
    def test_routes_to_a_and_prints_the_result(self) -> None:
        try:
            import requests  # noqa: F401
        except ImportError:
            self.skipTest("python3-requests is not installed")
        code = "import os\n" + SNIPPET.replace("http://api.openclaw", f"http://{ADDRESS}") + "print(response.status_code, response.json())\n"
        env = {**os.environ, "ORCHESTRATOR_API_KEY": API_KEY}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertTrue(out.stdout.startswith("200 "), out.stdout)
        self.assertIn("'instance': 'A'", out.stdout)
        self.assertIn("'echo': {'data': 'task'}", out.stdout)


if __name__ == "__main__":
    unittest.main()
