# tfrewrite: --unsafe-fixes
import tensorflow as tf

_fresh_v = None


@tf.function
def fresh(x):
	global _fresh_v
	if _fresh_v is None:
		_fresh_v = tf.Variable(
			1.0)
	v = _fresh_v
	v.assign(1.0)
	v.assign_add(x)
	return v.read_value()


class Tabbed:
	def __init__(self, *args, **kwargs):
		super().__init__(*args, **kwargs)
		self._step_w = None

	@tf.function
	def step(self, x):
		if self._step_w is None:
			self._step_w = tf.Variable(2.0)
		w = self._step_w
		w.assign(2.0)
		w.assign_add(x)
		return w.read_value()


def run():
	tabbed = Tabbed()  # a method's tf.function holds its instance weakly: keep it alive
	return [fresh(tf.constant(1.0)), fresh(tf.constant(1.0)), tabbed.step(tf.constant(1.0))]
