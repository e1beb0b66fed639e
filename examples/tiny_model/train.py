"""Training and evaluation steps; every function here runs as a graph."""

import tensorflow as tf

from tiny_model.layers import Model

history = []


@tf.function
def train_step(model, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"loss: {loss}")
    history.append(loss)
    return loss


@tf.function
def power_sum(x, steps):
    total = tf.zeros_like(x)
    for k in range(1000):
        total += tf.pow(x, tf.cast(k % 3, tf.float32))
    print("power sum done")
    return total


@tf.function
def first_above(x, threshold):
    done = False
    i = tf.constant(0)
    while not done:
        i += 1
        done = tf.gather(x, i) > threshold
    return i


@tf.function
def running_mean(x):
    count = tf.Variable(0.0)
    for value in x:
        count.assign_add(value)
    return count / tf.cast(tf.size(x), tf.float32)


@tf.function
def cumulative(x):
    out = []
    for i in tf.range(tf.size(x)):
        out.append(tf.reduce_sum(x[: i + 1]))
    return tf.stack(out)


def main():
    model = Model()
    x = tf.random.normal([8, 3])
    print(model(x).shape)
    print(cumulative(tf.constant([1.0, 2.0, 3.0])))


if __name__ == "__main__":
    main()
