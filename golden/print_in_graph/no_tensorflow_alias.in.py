from tensorflow import constant, function


@function
def step(x):
    print(f"x={x}")
    return x


def run():
    return [step(constant(i)) for i in range(2)]
