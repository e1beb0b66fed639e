import tensorflow as tf


@tf.function
def step(x):
    print("Tracing step")
    print(f"retraced for x={x}")
    return x + 1


num_traces = 0


@tf.function
def counted(x):
    global num_traces
    num_traces += 1
    print("Compiling counted for", x.shape)
    print("TRACED:", x)
    return x * 2
