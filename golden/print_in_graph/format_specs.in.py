import tensorflow as tf

LEARNING_RATE = 0.001


@tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32), tf.TensorSpec([], tf.int64)])
def evaluate(batch, epoch):
    predictions = tf.reduce_sum(batch, axis=1)
    loss = tf.reduce_mean(tf.square(predictions - 1.0))
    accuracy = tf.reduce_mean(tf.cast(predictions > 1.0, tf.float32))
    print(f"epoch {epoch:3d}: loss {loss:.4f}")
    print("accuracy %06.2f at lr %s" % (accuracy * 100.0, LEARNING_RATE))
    print("scaled loss {:.3e}".format(loss * 1000.0))
    print(f"learning rate {LEARNING_RATE:.0e}")
    return loss


def run():
    first = evaluate(tf.constant([[0.25, 0.5], [1.0, 0.75]]), tf.constant(1, tf.int64))
    second = evaluate(tf.constant([[2.0, 1.5], [0.125, 0.0], [3.0, -1.0]]), tf.constant(12, tf.int64))
    return [first, second]
