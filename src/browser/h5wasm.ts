/**
 * Stands in for saving/keras/h5wasm.ts in the browser build: Keras' `.keras` format is not offered in
 * browsers (its HDF5 weights go through h5wasm's Node build); tfjs IOHandlers are.
 */
import type { H5Module } from '../saving/keras/h5wasm';
import { noFiles } from './no-files';

export type { H5Module, H5File, H5Group, H5Dataset } from '../saving/keras/h5wasm';

export function h5wasm(): Promise<H5Module> {
  return Promise.reject(new Error('unreachable')).catch(() => noFiles('read or write .keras files'));
}

export function scratchPath(): string {
  return noFiles('read or write .keras files');
}

export function removeScratch(): void {
  noFiles('read or write .keras files');
}
