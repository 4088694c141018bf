/**
 * The `metrics` namespace, Keras' spelling: `metrics.AUC({ numThresholds: 100 })`,
 * `metrics.F1Score({ average: 'macro' })`, … Each gives the `{ className, config }` form that
 * compile's `metrics` accepts (a metric is built for the model's output at compile).
 */
export { AUC, F1Score, Hinge, Precision, Recall, TopKCategoricalAccuracy } from './metrics';
export type { MetricIdentifier, MetricName } from './metrics';
export type { AUCOptions, F1ScoreOptions, PrecisionOptions } from './confusion-metrics';
