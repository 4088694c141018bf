/**
 * Stands in for `node:fs` in the browser build (package.json `browser` field): every function keras-ts'
 * library part calls, each throwing one clear error. `existsSync` answers false.
 */
import { noFiles } from './no-files';

const fail = (what: string) => (): never => noFiles(what);

export const readFileSync = fail('read a file');
export const writeFileSync = fail('write a file');
export const openSync = fail('open a file');
export const closeSync = fail('close a file');
export const writeSync = fail('write a file');
export const fsyncSync = fail('sync a file');
export const mkdirSync = fail('create a folder');
export const renameSync = fail('rename a file');
export const rmSync = fail('remove a file');
export const existsSync = (): boolean => false;
export const promises = {
  readFile: fail('read a file'),
  open: fail('open a file'),
  mkdir: fail('create a folder'),
  rename: fail('rename a file'),
  rm: fail('remove a file'),
  link: fail('link a file'),
  stat: fail('inspect a file'),
};
