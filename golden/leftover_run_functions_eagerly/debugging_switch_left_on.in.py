"""Training entry point with a debugging switch left on (no tf.function in this file)."""

import argparse

import tensorflow as tf
from tensorflow import config as tf_config

from model import build_model, train_step  # noqa: F401


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args(argv)
    # Left over from a debugging session: every tf.function now runs eagerly.
    tf.config.run_functions_eagerly(True)
    model = build_model()
    for epoch in range(args.epochs):
        loss = train_step(model, tf.ones([4, 3]))
        print(f"epoch {epoch}: {float(loss):.4f}")
    return model


if __name__ == "__main__":
    tf_config.experimental_run_functions_eagerly(
        True,  # also left on
    )
    main()
