"""How long tests wait for something that happens in another thread or process.

Generous, and from one setting: a loaded 2-core machine (or CI) may be slow, and a test must
not fail for that. `KANWU_TEST_DEADLINE` raises or lowers every such wait at once.
"""

from __future__ import annotations

import os

DEADLINE = float(os.environ.get("KANWU_TEST_DEADLINE", "180"))
