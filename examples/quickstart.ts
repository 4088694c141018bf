/**
 * The Keras article's model in keras-ts, trained on a synthetic 3-class problem:
 * 20 features, 5 of them informative. Run: npm run example
 */
import { Sequential, layers, regularizers, callbacks, utils, backend, tf } from '../src';

function makeData(rows: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([rows, 20], 0, 1, 'float32', seed) as tf.Tensor2D;
    // Class = argmax of three scores built from the first five features.
    const [a, b, c, d, e] = tf.split(x.slice([0, 0], [rows, 5]), 5, 1) as tf.Tensor2D[];
    const scores = tf.concat([tf.add(a!, b!), tf.sub(c!, d!), e!], 1);
    return { x, y: utils.toCategorical(tf.argMax(scores, 1), 3) };
  });
}

async function main(): Promise<void> {
  await backend.use(process.env['KERAS_TS_BACKEND'] as backend.BackendChoice ?? 'auto');
  utils.setRandomSeed(42);
  const { x, y } = makeData(2000, 1);
  const { x: xTest, y: yTest } = makeData(500, 2);

  const model = new Sequential()
    .add(layers.Dense(64, { activation: 'relu', inputShape: [20], kernelRegularizer: regularizers.l1(0.001) }))
    .add(layers.Dropout(0.2))
    .add(layers.Dense(64, { activation: 'relu', kernelRegularizer: regularizers.l2(0.001) }))
    .add(layers.Dense(3, { activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  console.log(model.summary());
  console.log(`backend: ${backend.current()}`);

  const started = performance.now();
  const history = await model.fit(x, y, {
    epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 1,
    callbacks: [callbacks.EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true })],
  });
  const seconds = (performance.now() - started) / 1000;
  const { loss, accuracy } = await model.evaluate(xTest, yTest);
  const probs = model.predict(xTest);
  console.log(`trained ${history.epoch.length} epochs in ${seconds.toFixed(2)} s`);
  console.log(`test loss ${loss.toFixed(4)}, test accuracy ${accuracy!.toFixed(4)}, predictions ${probs.shape.join('x')}`);
  tf.dispose([x, y, xTest, yTest, probs]);
  model.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
