import tensorflow as tf

STEP = tf.Variable(0)


class Counter(tf.Module):
    def __init__(self):
        super().__init__()
        self.total = tf.Variable(0)

    @tf.function
    def add(self, x):
        self.total.assign_add(x)
        print(f"total={self.total}, step={STEP}")
        return self.total.read_value()
