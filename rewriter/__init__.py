"""tfrewrite: find and fix Python side effects inside tf.function graph code.

The public API is small and typed; importing it never imports TensorFlow.
"""

from rewriter._version import __version__

__all__ = ["__version__"]
