import tensorflow as tf


@tf.function
def train_step(features, labels, weights):
    logits = tf.linalg.matvec(features, weights)
    loss = tf.reduce_mean(tf.square(logits - labels))
    print("loss", loss)
    converged = loss < 0.5
    print("converged:", converged)
    steps = tf.size(labels)
    print("examples", steps, "logits", logits)
    print(f"weights now {weights}")
    print("grid", tf.reshape(tf.range(16), [2, 8]))
    return loss


def run():
    features = tf.constant([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]])
    weights = tf.constant([0.1, -0.2])
    first = train_step(features, tf.constant([0.0, 1.0, 0.5]), weights)
    second = train_step(features, tf.constant([1.0, 1.0, 1.0]), weights * 2.0)
    return [first, second]
