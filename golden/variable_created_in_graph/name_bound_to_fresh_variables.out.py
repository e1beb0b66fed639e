import tensorflow as tf

_two_phase_scratch = None
_two_phase_scratch_2 = None


@tf.function
def two_phase(x):
    """Each phase starts from a fresh scratch variable of its own."""
    global _two_phase_scratch
    if _two_phase_scratch is None:
        _two_phase_scratch = tf.Variable(tf.zeros([3]))
    scratch = _two_phase_scratch
    scratch.assign(tf.zeros([3]))
    scratch.assign_add(x)
    first = tf.reduce_sum(scratch)

    global _two_phase_scratch_2
    if _two_phase_scratch_2 is None:
        _two_phase_scratch_2 = tf.Variable(tf.ones([3]))
    scratch = _two_phase_scratch_2
    scratch.assign(tf.ones([3]))
    scratch.assign_add(x * 2.0)
    second = tf.reduce_sum(scratch)
    return first + second


@tf.function
def chained(x):
    """The second creation reads the first variable: no fix."""
    v = tf.Variable(1.0)
    v = tf.Variable(v + 1.0)
    return v + x


def run():
    x = tf.constant([1.0, 2.0, 3.0])
    return [two_phase(x), two_phase(x), two_phase(x * 2.0)]
