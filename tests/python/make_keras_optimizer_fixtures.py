"""Writes tests/fixtures/keras3-optimizers: .keras files saved by Keras itself after training, so
the codec's optimizer-state layout is tested against Keras rather than against our reading of it.

Run with Keras 3.15.1 (any backend; these were made with JAX 0.x on CPU):
  KERAS_BACKEND=jax python3 tests/python/make_keras_optimizer_fixtures.py
Each NAME.keras comes with NAME.json: the optimizer's variables (Keras' own order, paths and
values), its step count, and the model's weights.
"""

import json
import os
import sys

import keras
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras3-optimizers")

OPTIMIZERS = {
    "adam_amsgrad": lambda: keras.optimizers.Adam(amsgrad=True),
    "rmsprop_centered": lambda: keras.optimizers.RMSprop(momentum=0.5, centered=True),
    "sgd_nesterov": lambda: keras.optimizers.SGD(momentum=0.9, nesterov=True),
}


def main():
    keras.utils.set_random_seed(1234)
    x = np.random.rand(16, 4).astype("float32")
    y = keras.utils.to_categorical(np.random.randint(0, 2, 16), 2)
    for name, make in OPTIMIZERS.items():
        model = keras.Sequential(
            [
                keras.Input((4,)),
                keras.layers.Dense(5, activation="relu", kernel_regularizer=keras.regularizers.L1L2(0.001, 0.002)),
                keras.layers.Dropout(0.25),
                keras.layers.Dense(3, use_bias=False, activation="tanh"),
                keras.layers.Dense(2, activation="softmax"),
            ]
        )
        model.compile(optimizer=make(), loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=8, verbose=0)
        model.save(os.path.join(OUT, f"{name}.keras"))
        variables = model.optimizer.variables
        record = {
            "keras_version": keras.__version__,
            "backend": keras.backend.backend(),
            "iterations": int(model.optimizer.iterations.numpy()),
            "optimizer_paths": [v.path for v in variables],
            "optimizer_values": [np.asarray(v.numpy(), dtype="float64").reshape(-1).tolist() for v in variables],
            "weights": [np.asarray(w).reshape(-1).tolist() for w in model.get_weights()],
        }
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(record, f)
        print(name, file=sys.stderr)


if __name__ == "__main__":
    main()
