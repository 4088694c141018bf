/**
 * Everything fit and evaluate check before the first step: tensors from user input, matching
 * rows, feature width, label shape for the loss, finite values. Nothing in the model changes
 * until all of it passes.
 */
import { tf } from '../backend/tf';
import { DataError } from '../errors';
import { checkFeatures, checkFiniteAsync, checkNotEmpty, checkSameRows, toTensor } from './data';
import type { TensorInput } from './data';
import type { Trainer } from './trainer';

/** Checked x and y, with the tensors keras-ts created (to dispose after use). */
export interface PreparedData {
  x: tf.Tensor;
  y: tf.Tensor;
  /** Tensors created here; the caller disposes them. */
  owned: tf.Tensor[];
}

async function checkLabels(arg: string, y: tf.Tensor, model: Trainer, sparse: boolean, lossName: string): Promise<tf.Tensor | undefined> {
  const units = model.outputUnits();
  if (units === undefined) return undefined;
  const rows = y.shape[0]!;
  if (sparse) {
    if (!(y.rank === 1 || (y.rank === 2 && y.shape[1] === 1))) {
      throw new DataError(`Invalid \`${arg}\` for ${lossName}: expected integer class ids of shape [${rows}] or [${rows}, 1]. Received: shape [${y.shape.join(', ')}]; for one-hot labels use 'categoricalCrossentropy'.`);
    }
    const flag = tf.tidy(() => {
      const v = tf.cast(y, 'float32');
      return tf.all(tf.logicalAnd(tf.equal(v, tf.round(v)), tf.logicalAnd(tf.greaterEqual(v, 0), tf.less(v, units))));
    });
    const ok = (await flag.data())[0];
    flag.dispose();
    if (!ok) throw new DataError(`Invalid \`${arg}\` for ${lossName}: expected integer class ids in [0, ${units}). Received: values outside that range or not integers.`);
    return undefined;
  }
  if (y.rank === 1 && units === 1) return tf.reshape(y, [rows, 1]); // Keras accepts [n] for one output
  const outputShape = model.outputShapes()!.at(-1)!; // [...steps, units], no batch axis
  const expected = [rows, ...outputShape];
  if (y.rank !== expected.length || y.shape.some((d, i) => d !== expected[i])) {
    const hint = y.rank === 1 && units > 1 ? ` It looks like integer class ids: use 'sparseCategoricalCrossentropy' or one-hot encode them (tf.oneHot).` : '';
    throw new DataError(`Invalid \`${arg}\`: expected labels of shape [${expected.join(', ')}] to match the model's output. Received: shape [${y.shape.join(', ')}].${hint}`);
  }
  return undefined;
}

/** Converts and checks one (x, y) pair; `names` are the argument names used in messages. Reads asynchronously, so it works on every backend. */
export async function prepareData(model: Trainer, xIn: TensorInput, yIn: TensorInput, names: [string, string] = ['x', 'y']): Promise<PreparedData> {
  const owned: tf.Tensor[] = [];
  try {
    const [xName, yName] = names;
    const x = toTensor(xName, xIn);
    if (x.owned) owned.push(x.tensor);
    const yt = toTensor(yName, yIn);
    if (yt.owned) owned.push(yt.tensor);
    checkNotEmpty(xName, x.tensor);
    checkNotEmpty(yName, yt.tensor);
    checkSameRows(xName, x.tensor, yName, yt.tensor);
    if (x.tensor.rank < 2) throw new DataError(`Invalid \`${xName}\`: expected rows of features, shape [rows, features]. Received: shape [${x.tensor.shape.join(', ')}]`);
    checkFeatures(xName, x.tensor, model.inputShape);
    await checkFiniteAsync(xName, x.tensor);
    await checkFiniteAsync(yName, yt.tensor);
    if (!model.built) model.build(x.tensor.shape.slice(1));
    const { loss } = model.compiled.objective;
    const reshaped = await checkLabels(yName, yt.tensor, model, loss.sparse, loss.name);
    if (reshaped) owned.push(reshaped);
    return { x: x.tensor, y: reshaped ?? yt.tensor, owned };
  } catch (error) {
    for (const t of owned) t.dispose();
    throw error;
  }
}
