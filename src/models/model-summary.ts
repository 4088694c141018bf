/** The text of `model.summary()`: one row per layer, Keras' columns plus the regularizers. */
import type { Layer } from '../layers/layer';
import { DenseLayer } from '../layers';
import type { Regularizer } from '../regularizers';

const formatNumber = (n: number): string => n.toLocaleString('en-US');

function describeRegularizer(regularizer: Regularizer): string {
  const className = regularizer.className === 'Function' ? 'custom' : regularizer.className;
  const args = Object.entries(regularizer.getConfig()).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${className}(${args})`;
}

function regularizersOf(layer: Layer): string {
  if (layer instanceof DenseLayer) {
    const parts: string[] = [];
    if (layer.kernelRegularizer) parts.push(`kernel ${describeRegularizer(layer.kernelRegularizer)}`);
    if (layer.biasRegularizer) parts.push(`bias ${describeRegularizer(layer.biasRegularizer)}`);
    if (layer.activityRegularizer) parts.push(`activity ${describeRegularizer(layer.activityRegularizer)}`);
    return parts.join(', ');
  }
  const rate = (layer as { rate?: number }).rate;
  return rate === undefined ? '' : `dropout rate=${rate}`;
}

export function summarize(name: string, layers: readonly Layer[], outputShapes: number[][] | undefined): string {
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Regularization'];
  const rows = layers.map((layer, i) => {
    const shape = outputShapes?.[i];
    return [
      `${layer.name} (${layer.className})`,
      shape ? `(None, ${shape.join(', ')})` : '?',
      layer.isBuilt ? formatNumber(layer.countParams()) : '0 (unbuilt)',
      regularizersOf(layer),
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('   ').trimEnd();
  const rule = (ch: string) => ch.repeat(widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1));
  const total = layers.reduce((n, l) => n + (l.isBuilt ? l.countParams() : 0), 0);
  const trainable = layers.reduce((n, l) => n + l.trainableWeights.reduce((m, w) => m + w.variable.size, 0), 0);
  return [
    `Model: "${name}"`,
    rule('━'),
    line(header),
    rule('━'),
    ...rows.map(line),
    rule('━'),
    `Total params: ${formatNumber(total)}`,
    `Trainable params: ${formatNumber(trainable)}`,
    `Non-trainable params: ${formatNumber(total - trainable)}`,
    ...(outputShapes === undefined ? ['(Not built yet: give the first layer an inputShape, or call fit/predict.)'] : []),
  ].join('\n');
}
