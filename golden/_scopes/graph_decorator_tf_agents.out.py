# tfrewrite: --graph-decorator tf_agents.utils.common.function
import sys

import tensorflow as tf
from tf_agents.utils import common


class Agent:
    def __init__(self, network, optimizer):
        self._network = network
        self._optimizer = optimizer
        self.train = common.function(self._train)

    def _train(self, experience):
        tf.print("training on a batch", output_stream=sys.stdout)
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self._network(experience)))
        grads = tape.gradient(loss, self._network.trainable_variables)
        self._optimizer.apply_gradients(zip(grads, self._network.trainable_variables))
        return loss

    @common.function
    def act(self, observation):
        tf.print("acting", output_stream=sys.stdout)
        return tf.argmax(self._network(observation), axis=-1)
