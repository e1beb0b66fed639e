import tensorflow as tf


@tf.function
def evens_times_ten():
    picked = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for value in tf.data.Dataset.range(7):
        if value % 2 == 0:
            picked = picked.write(picked.size(), tf.cast(value, tf.float32) * 10.0)
    return picked.stack()


def run():
    return [evens_times_ten(), evens_times_ten()]
