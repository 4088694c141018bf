/**
 * Loads h5wasm (the HDF5 C library compiled to WebAssembly: no native build, works offline) and
 * runs work on in-memory HDF5 files in its virtual file system.
 *
 * h5wasm ships only as an ES module, and its package exports have no `require` condition, so this
 * CommonJS build loads the Node entry file by path with Node's own `require` (Node >= 20.19 loads
 * ES modules that way). Going through `createRequire` also keeps the module outside test runners'
 * module registries, so one wasm instance serves the whole process.
 */
import * as nodeModule from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as H5 from 'h5wasm';
import { KerasTsError } from '../../errors';

export type H5Module = typeof H5;
export type H5File = H5.File;
export type H5Group = H5.Group;
export type H5Dataset = H5.Dataset;

const NODE_ENTRY = join('h5wasm', 'dist', 'node', 'hdf5_hl.js');

let loading: Promise<H5Module> | undefined;
let fileCounter = 0;

function locate(nodeRequire: NodeJS.Require): string {
  for (const dir of nodeRequire.resolve.paths('h5wasm') ?? []) {
    const candidate = join(dir, NODE_ENTRY);
    if (existsSync(candidate)) return candidate;
  }
  throw new KerasTsError('Cannot read or write .keras files: the `h5wasm` package is not installed. Expected it next to keras-ts (npm install h5wasm).');
}

/**
 * Node's own `createRequire`. Test runners such as Jest hand modules their own `node:module`, whose
 * require cannot load ES modules; `process.getBuiltinModule` (Node >= 20.16) reaches the real one.
 */
function nodeCreateRequire(): typeof nodeModule.createRequire {
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const real = typeof getBuiltin === 'function' ? (getBuiltin.call(process, 'node:module') as typeof nodeModule | undefined) : undefined;
  return real?.createRequire ?? nodeModule.createRequire;
}

/** The h5wasm module, ready, with HDF5's error printing turned into thrown errors (the library prints nothing). */
export function h5wasm(): Promise<H5Module> {
  loading ??= (async () => {
    const nodeRequire = nodeCreateRequire()(__filename);
    let h5: H5Module;
    try {
      h5 = nodeRequire(locate(nodeRequire)) as H5Module;
    } catch (error) {
      if (error instanceof KerasTsError) throw error;
      throw new KerasTsError(
        `Cannot load h5wasm, which reads and writes the weights of .keras files: expected Node.js >= 20.19 (it loads ES modules with require). Received: Node.js ${process.version}`,
        { cause: error },
      );
    }
    const module = await h5.ready;
    module.activate_throwing_error_handler();
    return h5;
  })();
  return loading;
}

/** A fresh path in h5wasm's in-memory file system. */
export function scratchPath(): string {
  fileCounter += 1;
  return `/keras-ts-${process.pid}-${fileCounter}.h5`;
}

/** Removes a scratch file if it exists. */
export function removeScratch(h5: H5Module, path: string): void {
  const fs = h5.FS as unknown as { unlink(path: string): void; analyzePath(path: string): { exists: boolean } };
  if (fs.analyzePath(path).exists) fs.unlink(path);
}
