/** How much worse a model does on unseen data than on the data it was trained on. */
import type { SplitScore } from '../records';

export interface GeneralizationGap {
  /** test.loss − train.loss (positive when the model fits the training data better). */
  loss: number;
  /** train.accuracy − test.accuracy; present only when both splits have an accuracy. */
  accuracy?: number;
}

export function generalizationGap(train: SplitScore, test: SplitScore): GeneralizationGap {
  const gap: GeneralizationGap = { loss: test.loss - train.loss };
  if (train.accuracy !== undefined && test.accuracy !== undefined) gap.accuracy = train.accuracy - test.accuracy;
  return gap;
}
