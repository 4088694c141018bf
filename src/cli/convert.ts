/**
 * `keras-ts convert <in> <out>`: a model from one format to another — a Keras 3 `.keras` file
 * (keras-ts' or Python Keras'), a tfjs-layers directory (`model.json` + `weights.bin`, keras-ts'
 * or stock tfjs'), or `file://dir`. The optimizer state travels when the input has it (`.keras`
 * files by default; tfjs directories saved with includeOptimizer), so training can go on from the
 * converted file. Prints what it wrote.
 */
import * as path from 'node:path';
import { ready } from '../backend/backends';
import { ConfigError, describe } from '../errors';
import { loadModel } from '../models/load';
import { parseModelPath } from '../saving/tfjs';
import { configOfOptimizer } from '../training/optimizers';

/** The file or folder a model location names, resolved, for telling input and output apart. */
function location(target: string, role: 'input' | 'output'): string {
  const where = parseModelPath(target);
  switch (where.kind) {
    case 'keras':
      return path.resolve(where.file);
    case 'tfjs-directory':
      return path.resolve(where.dir);
    case 'keras-weights':
      throw new ConfigError(`Cannot convert ${role === 'input' ? 'from' : 'to'} ${describe(target)}: a .weights.h5 file holds weights only, not a model; expected a .keras file, a tfjs-layers directory or file://dir.`);
    case 'tfjs-url':
      throw new ConfigError(`Cannot convert ${role === 'input' ? 'from' : 'to'} ${describe(target)}: the CLI reads and writes files; expected a .keras file, a tfjs-layers directory or file://dir.`);
  }
}

export async function runConvert(input: string, output: string): Promise<void> {
  const from = location(input, 'input');
  const to = location(output, 'output');
  if (from === to) throw new ConfigError(`Cannot convert ${describe(input)} onto itself: give another output path.`);
  await ready();
  const model = await loadModel(input);
  try {
    const includeOptimizer = model.isCompiled;
    const steps = includeOptimizer ? model.optimizer.iterations : 0;
    const result = await model.save(output, { includeOptimizer });
    const format = result.format === 'keras' ? 'Keras 3 .keras file' : 'tfjs-layers directory';
    const layers = `${model.layers.length} layer${model.layers.length === 1 ? '' : 's'}, ${model.countParams()} weights`;
    const optimizer = includeOptimizer ? `optimizer state kept (${configOfOptimizer(model.optimizer)?.className ?? model.optimizer.getClassName()}, ${steps} step${steps === 1 ? '' : 's'})` : 'no optimizer state in the input';
    process.stdout.write(`Wrote ${format} ${result.target}: ${layers}; ${optimizer}.\n`);
  } finally {
    model.dispose();
  }
}
