"""Output: findings, diffs and reports as text, one module per format.

Every function takes outcomes (already sorted by path) or diagnostics and returns text;
nothing here reads settings files or decides exit codes.
"""

from __future__ import annotations
