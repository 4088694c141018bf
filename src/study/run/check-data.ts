/** What must hold between a study and its data before anything runs: checked by the study and by each queue worker. */
import { ConfigError, describe } from '../../errors';
import type { StudyConfig } from '../config/resolve';
import type { Dataset } from '../../datasets/types';
import { MAX_TENSOR_VALUES } from '../../datasets/split';

export function checkAgainstData(config: StudyConfig, dataset: Dataset): void {
  const es = config.earlyStopping;
  if (es !== false) {
    if (es.monitor.startsWith('val_') && dataset.validation === undefined) {
      throw new ConfigError(
        `Invalid \`earlyStopping\`: it monitors ${es.monitor}, but the dataset ${describe(dataset.name)} has no validation split. ` +
          'Give it validation rows (validationSize / validationFraction > 0) or monitor "loss".',
      );
    }
    if (es.monitor.endsWith('accuracy') && dataset.task !== 'classification') {
      throw new ConfigError(`Invalid \`earlyStopping\`: it monitors ${es.monitor}, but ${describe(dataset.name)} is a regression dataset (no accuracy); monitor "val_loss" or "loss".`);
    }
  }
  const widths = [dataset.features, ...config.hidden, dataset.task === 'classification' ? dataset.classes! : 1];
  for (let i = 1; i < widths.length; i++) {
    const [inputs, units] = [widths[i - 1]!, widths[i]!];
    if (inputs * units > MAX_TENSOR_VALUES) {
      throw new ConfigError(
        `Invalid \`hidden\`: layer ${i} would need a ${inputs} × ${units} kernel (${inputs * units} values), more than one tensor holds (${MAX_TENSOR_VALUES}); ` +
          `with ${inputs} inputs at most ${Math.floor(MAX_TENSOR_VALUES / inputs)} units fit. Received: hidden=${describe(config.hidden)}`,
      );
    }
  }
  const largestSplit = Math.max(...[dataset.train, dataset.validation, dataset.test].map((s) => s?.x.shape[0] ?? 0));
  const widest = Math.max(...config.hidden);
  if (largestSplit * widest > MAX_TENSOR_VALUES) {
    throw new ConfigError(
      `Invalid \`hidden\`: evaluating ${largestSplit} rows through a ${widest}-unit layer needs ${largestSplit * widest} values in one tensor, more than fits (${MAX_TENSOR_VALUES}). Received: hidden=${describe(config.hidden)}`,
    );
  }
}
