import tensorflow as tf


class Trainer(tf.Module):
    def __init__(self, lr):
        super().__init__()
        self.lr = lr
        self.steps = 0
        self.last_loss = None
        self.seen = tf.Variable(0)
        self.trace_count = 0

    def _record(self, loss):
        """A helper that graph code calls: it is traced too."""
        self.last_loss = loss

    @tf.function
    def train_step(self, x):
        self.trace_count += 1  # counts traces on purpose: not reported
        loss = tf.reduce_mean(x * x) * self.lr
        self.steps += 1
        self._record(loss)
        self.seen.assign_add(1)
        return loss


class Box:
    value = 0


@tf.function
def bump(box, x):
    box.value += 1
    return x + 1.0


@tf.function
def local_box(x):
    """An object made by the function itself: nothing outlives the call."""
    b = Box()
    b.value = 3
    return x * b.value
