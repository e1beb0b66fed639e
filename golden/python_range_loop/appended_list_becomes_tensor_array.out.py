import tensorflow as tf

STEPS = 100


# A per-step gate over every time step of a batch. `range(inputs.shape[1])` fails while
# tracing when the sequence length is None; as a `tf.range` loop the outputs list cannot
# collect the steps, so it becomes a TensorArray in the same fix.
@tf.function(input_signature=[tf.TensorSpec([2, None, 3], tf.float32), tf.TensorSpec([3], tf.float32)])
def gate_steps(inputs, gain):
    outputs = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for t in tf.range(tf.shape(inputs)[1]):
        step = inputs[:, t, :]
        gate = tf.sigmoid(step * gain)
        outputs = outputs.write(outputs.size(), gate * step)
    sequence = tf.experimental.numpy.moveaxis(outputs.stack(), 0, 1)
    return sequence, tf.reduce_mean(outputs.stack()), outputs.read(outputs.size() - 1)


# A literal bound above the unroll limit: the loop and the list change together.
@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
def geometric_terms(ratio):
    terms = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    term = tf.constant(1.0)
    for k in tf.range(STEPS):
        terms = terms.write(terms.size(), term)
        term = term * ratio
    return terms.stack(), tf.reduce_sum(terms.stack())


# The first snapshot is appended before the loop and the others under a condition on
# the index (a `tf.cond` in the graph loop, which carries the array through).
@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def snapshots(state):
    history = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    history = history.write(history.size(), state)
    for step in tf.range(100):
        state = state * 0.9 + 0.1
        if step % 10 == 9:
            history = history.write(history.size(), state)
    return history.concat(), history.read(history.size() - 1), history.read(0)


def run():
    inputs = tf.reshape(tf.range(30.0) / 30.0, [2, 5, 3])
    gain = tf.constant([0.5, -1.0, 2.0])
    return [
        gate_steps(inputs, gain),
        gate_steps(inputs[:, :2], gain),
        geometric_terms(tf.constant(0.5)),
        snapshots(tf.constant([1.0, 2.0, 4.0])),
    ]
