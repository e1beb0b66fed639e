import tensorflow as tf

LABEL = "epoch"


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def report(x):
    names = ["a", "b", "c"]
    for i in range(3):
        print(LABEL, i, len(names))
    return x


def run():
    return [report(tf.ones([2])), report(tf.ones([2]))]
