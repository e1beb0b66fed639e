# tfrewrite: --unsafe-fixes
import tensorflow as tf


@tf.function
def fresh(x):
	v = tf.Variable(
		1.0)
	v.assign_add(x)
	return v


class Tabbed:
	@tf.function
	def step(self, x):
		w = tf.Variable(2.0)
		w.assign_add(x)
		return w.read_value()


def run():
	tabbed = Tabbed()  # a method's tf.function holds its instance weakly: keep it alive
	return [fresh(tf.constant(1.0)), fresh(tf.constant(1.0)), tabbed.step(tf.constant(1.0))]
