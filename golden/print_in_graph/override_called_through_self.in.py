import tensorflow as tf


class Trainer(tf.Module):
    def __init__(self, scale):
        super().__init__()
        self.scale = tf.Variable(scale)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def step(self, batch):
        batch = self.prepare(batch)
        return tf.reduce_sum(batch) * self.scale

    def prepare(self, batch):
        return batch


class LoggingTrainer(Trainer):
    # `step` runs this override for a LoggingTrainer: it is traced with `step`.
    def prepare(self, batch):
        print("batch of", tf.shape(batch)[0])
        return batch * 2.0


class Report:
    # Not a Trainer: its `prepare` runs eagerly.
    def prepare(self, batch):
        print("batch of", len(batch))
        return batch


def run():
    trainer = LoggingTrainer(2.0)
    return [trainer.step(tf.constant([1.0, 2.0, 3.0])) for _ in range(3)]
