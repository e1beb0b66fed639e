import tensorflow as tf


# Each row of a tensor argument becomes a 2x3 block of its mean, scaled by the row's
# maximum; the blocks are laid side by side (`axis=1`, `axis=-1`) and on top of each other (`axis=0`). On the
# array, an inner axis is the stack with its first axis moved there and merged into it.
@tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
def tile_rows(rows):
    blocks = []
    for row in rows:
        peak = tf.reduce_max(row)
        block = tf.fill([2, 3], tf.reduce_mean(row))
        blocks.append(block / peak)
    side_by_side = tf.concat(blocks, axis=1)
    last_axis = tf.concat(blocks, -1)
    stacked = tf.concat(blocks, 0)
    return side_by_side, last_axis, stacked


def run():
    rows = tf.reshape(tf.range(12.0), [3, 4])
    return [tile_rows(rows), tile_rows(rows[:1])]
