import tensorflow as tf


# The tape is read after the loop (the last iteration's tape): a TensorFlow loop body
# cannot hand it out. Reported without a fix.
@tf.function
def last_gradient(x, w):
    for step in range(200):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(w)
            loss = tf.reduce_sum(tf.square(x * w))
        w = w - 0.01 * tape.gradient(loss, w)
    return w, tape.gradient(loss, w)


# A Keras model and optimizer are Python objects whose calls may keep Python state (an
# optimizer builds its slots on the first `apply_gradients`), and `loss` is first bound
# in the loop and read after it: reported without a fix.
@tf.function
def train(model, optimizer, x, y):
    for step in range(500):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
