import tensorflow as tf


class Stack(tf.Module):
    def __init__(self, blocks):
        super().__init__()
        self.blocks = blocks

    @tf.function
    def __call__(self, x):
        for i in range(len(self.blocks)):
            x = self.blocks[i](x)
        return x
