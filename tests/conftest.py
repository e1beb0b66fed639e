import os
import sys
from pathlib import Path

# The helpers next to the tests (golden_cases, parity) import as plain modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))
# TensorFlow's start-up chatter is not what the tests read.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
