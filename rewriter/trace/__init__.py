"""Evidence from a real run: which functions TensorFlow traced, and with what arguments.

`tfrewrite trace -- COMMAND` runs COMMAND with a recorder injected (`recorder.py`,
loaded by a `sitecustomize` on `PYTHONPATH`), then merges what it recorded into the
trace file (`traces.py` describes the format). `check` reads that file to treat traced
functions as graph code and recorded argument kinds as parameter evidence. Nothing
here imports TensorFlow except the recorder, inside the user's own process.
"""
