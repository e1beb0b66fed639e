import tensorflow as tf


@tf.function
def sign_flag(x):
    flag = True
    if x > 0:
        flag = False
    return flag


@tf.function
def choose(x, flag=True):
    use_bias = True
    if use_bias:
        x = x + 1.0
    scale = {True: 1.0, False: 2.0}[flag]
    return x * scale if flag is True else -x


@tf.function
def already_tensor(x):
    done = False
    i = tf.constant(0)
    while not done and i < 100:
        i += 1
        done = i >= x
    return i
