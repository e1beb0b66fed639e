import tensorflow as tf

PARITY = "random"


@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
def augment(batch):
    """Noise shaped like the batch, whose first dim is unknown while tracing."""
    noise = tf.random.normal(tf.shape(batch), mean=0.0, stddev=0.1)
    scale = tf.random.uniform(tf.shape(batch), minval=0.5, maxval=1.5)
    return batch * scale + noise


@tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32)])
def dropout_like(x):
    keep = tf.random.uniform(x.shape)
    return x * keep


@tf.function(input_signature=[tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.int32)])
def metropolis(accept_prob, steps):
    """Accept each proposal with probability `accept_prob`."""
    accepted = tf.constant(0)
    for _ in tf.range(steps):
        if tf.random.uniform([]) < accept_prob:
            accepted += 1
    return accepted


@tf.function
def sample_indices():
    """Integer draws returned as they are: a Python int, then NumPy's int64 array."""
    first = tf.random.uniform([], minval=0, maxval=10, dtype=tf.int32)
    return first, tf.random.uniform((2,), minval=0, maxval=5, dtype=tf.int64)


def run():
    batch = tf.ones([4, 3])
    results = []
    for _ in range(3):
        results.append(
            [augment(batch), dropout_like(tf.ones([2, 3])), metropolis(tf.constant(0.5), tf.constant(50)),
             # Eagerly the original returns an int and an array: compare them as tensors.
             [tf.convert_to_tensor(v) for v in sample_indices()]]
        )
    return results
