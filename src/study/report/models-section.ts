/** The reports' "Models" section (compare with saveModels): one line per setting with its .keras file. */
import type { StudyResultData } from '../records';

export const MODELS_INTRO = 'Each setting\'s best trial by the ranking metric, saved as Keras 3 .keras (loadModel in keras-ts, keras.saving.load_model in Python, `keras-ts convert` for stock TensorFlow.js).';

export interface ModelLine {
  setting: string;
  repeat: number;
  /** Relative to the study folder (validated: `models/<safe name>.keras`). */
  file: string;
}

/** The lines to show, or undefined when the study saved no models. */
export function modelLines(data: StudyResultData): ModelLine[] | undefined {
  return data.models === undefined ? undefined : data.models.map(({ setting, repeat, file }) => ({ setting, repeat, file }));
}
