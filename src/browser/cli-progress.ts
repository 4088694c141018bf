/** Stands in for `cli-progress` in the browser build: a terminal progress bar has no terminal here. */
import { KerasTsError } from '../errors';

export class SingleBar {
  constructor() {
    throw new KerasTsError('Progress bars need a terminal: in the browser pass `verbose: 0` to fit and read the losses from its History or a callback.');
  }
}
