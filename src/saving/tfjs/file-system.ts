/**
 * A tf.io.IOHandler for a directory holding `model.json` + `weights.bin`, laid out as tfjs-node's
 * `file://` handler (tfjs-node src/io/file_system.ts) writes them, without needing tfjs-node.
 * Saving is atomic per file: both files are written beside the targets, flushed, then renamed
 * over them (weights.bin, then model.json; if the second rename fails the old weights.bin is put
 * back). A crash never leaves a half-written file at either name; only a crash between the two
 * renames can pair the new weights.bin with the old model.json. Loading checks every byte count.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { io } from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import { ConfigError, FormatError } from '../../errors';
import { isRecord } from './fields';
import { manifestByteLength, weightBytes } from './weights';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

const errorCode = (error: unknown): string | undefined =>
  isRecord(error) && typeof error['code'] === 'string' ? error['code'] : undefined;

/** A path in the directory, or null when a manifest path would leave it ('../x', '/etc/x'). */
function inside(dir: string, relative: string): string | null {
  const full = path.resolve(dir, relative);
  const rel = path.relative(dir, full);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? null : full;
}

async function ensureDirectory(dir: string): Promise<void> {
  const info = await fsp.stat(dir).catch((error: unknown) => {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // mkdir below says why it cannot be made
    throw new ConfigError(`Cannot save a model to ${dir}: the directory cannot be read (${code ?? String(error)})`, { cause: error });
  });
  if (info !== undefined && !info.isDirectory()) {
    throw new ConfigError(`Cannot save a model to ${dir}: it is a file; expected a directory (created if missing)`);
  }
  if (info === undefined) {
    await fsp.mkdir(dir, { recursive: true }).catch((error: unknown) => {
      throw new ConfigError(`Cannot save a model to ${dir}: the directory cannot be created (${errorCode(error) ?? String(error)})`, { cause: error });
    });
  }
}

/** Writes and flushes a file that nobody reads yet. */
async function writeFlushed(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fsp.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const tempName = (dir: string, name: string): string =>
  path.join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);

/** Renames the temp files over the targets, weights first; puts the old weights back if model.json's rename fails. */
async function commit(dir: string, weightsTemp: string, jsonTemp: string): Promise<void> {
  const weightsPath = path.join(dir, WEIGHTS_BIN);
  const backup = tempName(dir, WEIGHTS_BIN);
  const hasBackup = await fsp.link(weightsPath, backup).then(
    () => true,
    () => false, // no old weights.bin (or no hard links here): nothing to put back
  );
  try {
    await fsp.rename(weightsTemp, weightsPath);
    try {
      await fsp.rename(jsonTemp, path.join(dir, MODEL_JSON));
    } catch (error) {
      if (hasBackup) await fsp.rename(backup, weightsPath).catch(() => undefined);
      throw error;
    }
  } finally {
    if (hasBackup) await fsp.rm(backup, { force: true });
  }
  // Make the renames themselves durable (not possible on every platform; best effort).
  const dirHandle = await fsp.open(dir, 'r').catch(() => undefined);
  await dirHandle?.sync().catch(() => undefined);
  await dirHandle?.close();
}

async function save(dir: string, artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
  if (!isRecord(artifacts.modelTopology) || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new ConfigError(`Cannot save a model to ${dir}: expected a JSON modelTopology (binary topologies are not supported)`);
  }
  const specs = artifacts.weightSpecs ?? [];
  const data = weightBytes(artifacts.weightData);
  const expected = manifestByteLength(specs, (message) => new ConfigError(`Cannot save a model to ${dir}: ${message}`));
  if (expected !== data.byteLength) {
    throw new ConfigError(`Cannot save a model to ${dir}: weightData has ${data.byteLength} bytes, but weightSpecs describe ${expected} bytes`);
  }
  // tfjs-node's model.json: these keys, in this order.
  const modelJson: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
  };
  if (artifacts.trainingConfig != null) modelJson['trainingConfig'] = artifacts.trainingConfig;
  if (artifacts.signature != null) modelJson['signature'] = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) modelJson['userDefinedMetadata'] = artifacts.userDefinedMetadata;

  await ensureDirectory(dir);
  const weightsTemp = tempName(dir, WEIGHTS_BIN);
  const jsonTemp = tempName(dir, MODEL_JSON);
  try {
    await writeFlushed(weightsTemp, data);
    await writeFlushed(jsonTemp, JSON.stringify(modelJson));
    await commit(dir, weightsTemp, jsonTemp);
  } catch (error) {
    throw new ConfigError(`Cannot save a model to ${dir}: writing the files failed (${errorCode(error) ?? String(error)})`, { cause: error });
  } finally {
    await fsp.rm(weightsTemp, { force: true });
    await fsp.rm(jsonTemp, { force: true });
  }
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...artifacts, weightData: data.slice().buffer }) };
}

async function readModelJson(dir: string): Promise<Record<string, unknown>> {
  const info = await fsp.stat(dir).catch(() => undefined);
  if (info === undefined) throw new FormatError(`Cannot load a model from ${dir}: the directory does not exist`);
  if (!info.isDirectory()) throw new FormatError(`Cannot load a model from ${dir}: it is a file; expected a directory holding ${MODEL_JSON} and ${WEIGHTS_BIN}`);
  const file = path.join(dir, MODEL_JSON);
  const text = await fsp.readFile(file, 'utf8').catch((error: unknown) => {
    const why = errorCode(error) === 'ENOENT' ? 'it does not exist' : `it cannot be read (${errorCode(error) ?? String(error)})`;
    throw new FormatError(`Cannot load a model from ${dir}: ${file} is missing; ${why}`, { cause: error });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FormatError(`Corrupt ${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (!isRecord(json) || !isRecord(json['modelTopology'])) {
    throw new FormatError(`Invalid ${file}: expected a JSON object with a modelTopology object (a tfjs-layers model.json)`);
  }
  return json;
}

/** Every group's weight files, checked against the byte count its entries need. */
async function readWeights(dir: string, manifest: unknown): Promise<{ specs: io.WeightsManifestEntry[]; data: ArrayBuffer }> {
  const file = path.join(dir, MODEL_JSON);
  if (manifest === undefined) return { specs: [], data: new ArrayBuffer(0) };
  const groups = Array.isArray(manifest) ? manifest : [];
  if (!Array.isArray(manifest) || !groups.every((g) => isRecord(g) && Array.isArray(g['paths']) && g['paths'].every((p) => typeof p === 'string') && Array.isArray(g['weights']))) {
    throw new FormatError(`Invalid weightsManifest in ${file}: expected [{ paths: string[], weights: [...] }]`);
  }
  const specs: io.WeightsManifestEntry[] = [];
  const parts: Buffer[] = [];
  for (const group of groups as { paths: string[]; weights: io.WeightsManifestEntry[] }[]) {
    const expected = manifestByteLength(group.weights, (message) => new FormatError(`${message} (in ${file})`));
    const buffers: Buffer[] = [];
    for (const relative of group.paths) {
      const full = inside(dir, relative);
      if (full === null) throw new FormatError(`Invalid weights path ${JSON.stringify(relative)} in ${file}: expected a file inside ${dir}`);
      buffers.push(
        await fsp.readFile(full).catch((error: unknown) => {
          throw new FormatError(`Cannot load a model from ${dir}: weight file ${full} is missing or unreadable (${errorCode(error) ?? String(error)})`, { cause: error });
        }),
      );
    }
    const actual = buffers.reduce((n, b) => n + b.byteLength, 0);
    if (actual !== expected) {
      const names = group.paths.map((p) => path.join(dir, p)).join(' + ');
      throw new FormatError(
        `Corrupt ${names}: ${actual} bytes, ${actual < expected ? 'shorter' : 'longer'} than the ${expected} bytes ${file} describes for its ${group.weights.length} weights`,
      );
    }
    specs.push(...group.weights);
    parts.push(...buffers);
  }
  const all = Buffer.concat(parts);
  return { specs, data: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer };
}

async function load(dir: string): Promise<io.ModelArtifacts> {
  const json = await readModelJson(dir);
  const { specs, data } = await readWeights(dir, json['weightsManifest']);
  const artifacts: io.ModelArtifacts = { modelTopology: json['modelTopology'] as object };
  for (const key of ['format', 'generatedBy'] as const) {
    if (typeof json[key] === 'string') artifacts[key] = json[key];
  }
  if (typeof json['convertedBy'] === 'string' || json['convertedBy'] === null) artifacts.convertedBy = json['convertedBy'];
  artifacts.weightSpecs = specs;
  artifacts.weightData = data;
  if (isRecord(json['trainingConfig'])) artifacts.trainingConfig = json['trainingConfig'] as unknown as io.TrainingConfig;
  if (isRecord(json['signature'])) artifacts.signature = json['signature'];
  if (isRecord(json['userDefinedMetadata'])) artifacts.userDefinedMetadata = json['userDefinedMetadata'] as Record<string, object>;
  return artifacts;
}

/** An IOHandler with both halves present. */
export type FileSystemHandler = Required<Pick<io.IOHandler, 'save' | 'load'>>;

/**
 * An IOHandler reading and writing `<dir>/model.json` + `<dir>/weights.bin` in tfjs' layout;
 * works with stock `model.save(handler)` and `tf.loadLayersModel(handler)`. The directory is
 * created on save if missing.
 */
export function fileSystemHandler(dir: string): FileSystemHandler {
  const root = path.resolve(dir);
  return { save: (artifacts) => save(root, artifacts), load: () => load(root) };
}
