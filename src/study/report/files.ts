/** The files a study folder holds, by role; reports link to each other by these names. */
export const REPORT_FILES = {
  json: 'results.json',
  csv: 'results.csv',
  markdown: 'report.md',
  html: 'report.html',
  learningCurves: 'learning-curves.svg',
  gap: 'gap.svg',
  weightHistograms: 'weight-histograms.svg',
} as const;

export type PlotName = 'learningCurves' | 'gap' | 'weightHistograms';

/** Plot titles and one-line explanations, shared by report.md and report.html. */
export const PLOTS: { name: PlotName; title: string; caption: string }[] = [
  {
    name: 'learningCurves',
    title: 'Learning curves',
    caption: 'Data loss (penalty excluded) per epoch on the training split (dropout active) and the validation split.',
  },
  {
    name: 'gap',
    title: 'Generalization gap',
    caption: 'Test minus train loss (and train minus test accuracy) per setting; a smaller gap means less overfitting.',
  },
  {
    name: 'weightHistograms',
    title: 'First-layer weights',
    caption: 'Distribution of the first Dense kernel, per setting; the spike at 0 is the weights a penalty drove to (near) zero.',
  },
];
