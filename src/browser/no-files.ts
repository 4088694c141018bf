/** The one error the browser build's stand-ins for Node's file modules throw. */
import { KerasTsError } from '../errors';

/** Thrown where keras-ts would touch files: `.keras` and `.weights.h5` files, tfjs directories, CSV logs. */
export function noFiles(what: string): never {
  throw new KerasTsError(
    `Cannot ${what} in the browser build of keras-ts: it has no file system. Save and load through tfjs IOHandlers instead: model.save('indexeddb://name'), 'localstorage://name', 'downloads://name', an http(s):// URL, or an IOHandler object.`,
  );
}
