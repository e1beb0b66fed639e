import tensorflow as tf


class LineFit:
    """Fits y = slope * x + intercept by gradient descent until the loss is small."""

    def __init__(self):
        self.slope = tf.Variable(0.0)
        self.intercept = tf.Variable(0.0)

    # `converged` starts as a Python bool and becomes a tensor; `epoch < 500` is Python
    # when the loop starts, so the graph raises. The tape records each iteration in a
    # TensorFlow loop too, and `epoch` only counts.
    @tf.function(input_signature=[tf.TensorSpec([None]), tf.TensorSpec([None]), tf.TensorSpec([])])
    def train(self, x, y, tol):
        converged = tf.constant(False)
        epoch = 0
        while not converged and epoch < 500:
            with tf.GradientTape() as tape:
                residual = self.slope * x + self.intercept - y
                loss = tf.reduce_mean(tf.square(residual))
            d_slope, d_intercept = tape.gradient(loss, [self.slope, self.intercept])
            self.slope.assign_sub(0.1 * d_slope)
            self.intercept.assign_sub(0.1 * d_intercept)
            converged = loss < tol
            epoch += 1
        return self.slope.read_value(), self.intercept.read_value()


def run():
    x = tf.constant([0.0, 1.0, 2.0, 3.0])
    fit = LineFit()
    coarse = fit.train(x, 2.0 * x + 1.0, tf.constant(0.5))
    fine = fit.train(x, 2.0 * x + 1.0, tf.constant(1e-4))
    other = LineFit()
    return [coarse, fine, other.train(x, -x, tf.constant(1e-12))]
