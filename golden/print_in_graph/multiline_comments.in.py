import tensorflow as tf


@tf.function
def step(x):
    print(
        "first",  # the label
        "second",
    )
    print("flushed",
          flush=True)  # keep this comment
    return x


def run():
    return [step(tf.constant(i)) for i in range(2)]
