import tensorflow as tf


@tf.function
def step(x):
    print("a", "b", sep="-", end="!\n")
    print(f"value {x}", "and", f"{x * 2}", sep=" | ")
    print("no newline", end="")
    print()
    return x


def run():
    return [step(tf.constant(i)) for i in range(2)]
