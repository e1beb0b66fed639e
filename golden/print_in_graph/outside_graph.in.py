import tensorflow as tf


def eager_step(x):
    print("eager", x)
    return x


class Trainer:
    def report(self, loss):
        print(f"loss={loss}")
