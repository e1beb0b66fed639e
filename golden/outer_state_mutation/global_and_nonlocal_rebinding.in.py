import tensorflow as tf

calls = 0
last = None


@tf.function
def step(x):
    global calls, last
    calls += 1
    last = x * 2
    return x


def make_counter():
    traced = []
    count = 0

    @tf.function
    def count_step(x):
        nonlocal count
        count = count + 1
        traced.append(x)
        return x

    return count_step
