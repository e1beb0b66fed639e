import tensorflow as tf


@tf.function
def evens_times_ten():
    picked = list()
    for value in tf.data.Dataset.range(7):
        if value % 2 == 0:
            picked.append(tf.cast(value, tf.float32) * 10.0)
    return tf.stack(picked)


def run():
    return [evens_times_ten(), evens_times_ten()]
