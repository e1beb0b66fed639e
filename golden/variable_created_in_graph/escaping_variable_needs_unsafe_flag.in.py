import tensorflow as tf

created = []


def remember(variable):
    created.append(variable)


@tf.function
def make(x):
    v = tf.Variable(1.0)
    remember(v)
    return v + x
