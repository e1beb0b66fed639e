import tensorflow as tf

STEPS = 100


# A per-step gate over every time step of a batch. `range(inputs.shape[1])` fails while
# tracing when the sequence length is None; as a `tf.range` loop the outputs list cannot
# collect the steps, so it becomes a TensorArray in the same fix.
@tf.function(input_signature=[tf.TensorSpec([2, None, 3], tf.float32), tf.TensorSpec([3], tf.float32)])
def gate_steps(inputs, gain):
    outputs = []
    for t in range(inputs.shape[1]):
        step = inputs[:, t, :]
        gate = tf.sigmoid(step * gain)
        outputs.append(gate * step)
    sequence = tf.stack(outputs, axis=1)
    return sequence, tf.reduce_mean(outputs), outputs[-1]


# A literal bound above the unroll limit: the loop and the list change together.
@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
def geometric_terms(ratio):
    terms = []
    term = tf.constant(1.0)
    for k in range(STEPS):
        terms.append(term)
        term = term * ratio
    return tf.stack(terms), tf.reduce_sum(terms)


# The first snapshot is appended before the loop and the others under a condition on
# the index (a `tf.cond` in the graph loop, which carries the array through).
@tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
def snapshots(state):
    history = []
    history.append(state)
    for step in range(100):
        state = state * 0.9 + 0.1
        if step % 10 == 9:
            history.append(state)
    return tf.concat(history, 0), history[-1], history[0]


def run():
    inputs = tf.reshape(tf.range(30.0) / 30.0, [2, 5, 3])
    gain = tf.constant([0.5, -1.0, 2.0])
    return [
        gate_steps(inputs, gain),
        gate_steps(inputs[:, :2], gain),
        geometric_terms(tf.constant(0.5)),
        snapshots(tf.constant([1.0, 2.0, 4.0])),
    ]
