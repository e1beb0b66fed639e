import tensorflow as tf


@tf.function
def smooth(xs):
  """A 2-space file: the holder code keeps two spaces per level."""
  avg = tf.Variable(tf.zeros([3]))
  for x in xs:
    avg.assign(0.9 * avg + 0.1 * x)
  return tf.identity(avg)


class Tracker(tf.Module):
  @tf.function
  def __call__(self, x):
    best = tf.Variable(
      tf.fill([2], -1e9))
    best.assign(tf.maximum(best, x))
    return best + 0.0


def run():
  xs = tf.ones([4, 3])
  t = Tracker()
  return [smooth(xs), smooth(xs), t(tf.constant([1.0, 5.0])), t(tf.constant([2.0, 3.0]))]
