import tensorflow as tf

_smooth_avg = None


@tf.function
def smooth(xs):
  """A 2-space file: the holder code keeps two spaces per level."""
  global _smooth_avg
  if _smooth_avg is None:
    _smooth_avg = tf.Variable(tf.zeros([3]))
  avg = _smooth_avg
  avg.assign(tf.zeros([3]))
  for x in xs:
    avg.assign(0.9 * avg + 0.1 * x)
  return tf.identity(avg)


class Tracker(tf.Module):
  def __init__(self, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self._call_best = None

  @tf.function
  def __call__(self, x):
    if self._call_best is None:
      self._call_best = tf.Variable(
        tf.fill([2], -1e9))
    best = self._call_best
    best.assign(tf.fill([2], -1e9))
    best.assign(tf.maximum(best, x))
    return best + 0.0


def run():
  xs = tf.ones([4, 3])
  t = Tracker()
  return [smooth(xs), smooth(xs), t(tf.constant([1.0, 5.0])), t(tf.constant([2.0, 3.0]))]
