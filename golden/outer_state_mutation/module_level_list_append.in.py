import tensorflow as tf

history = []
tensor_list = list()


@tf.function
def train_step(x):
    loss = tf.reduce_sum(x * x)
    history.append(loss)
    tensor_list.extend([x, loss])
    return loss
