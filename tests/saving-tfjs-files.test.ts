/** The model.json + weights.bin directory handler: bad files, atomic saves, and model path parsing. */
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { tf } from '../src/backend/tf';
import { ConfigError, FormatError } from '../src/errors';
import { artifactsToTfjs, fileSystemHandler, parseModelPath, tfjsToArtifacts } from '../src/saving/tfjs';
import { sampleArtifacts, tempDir } from './saving-tfjs-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  jest.restoreAllMocks();
});

async function savedModel(label: string): Promise<string> {
  const dir = tempDir(label);
  await fileSystemHandler(dir).save(artifactsToTfjs(sampleArtifacts()));
  return dir;
}

const modelJsonOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
const listing = (dir: string): string[] => fs.readdirSync(dir).sort();

describe('fileSystemHandler: save', () => {
  test('creates missing directories and writes only model.json and weights.bin', async () => {
    const dir = path.join(tempDir('save'), 'a', 'b');
    const result = await fileSystemHandler(dir).save(artifactsToTfjs(sampleArtifacts()));
    expect(listing(dir)).toEqual(['model.json', 'weights.bin']);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(fs.statSync(path.join(dir, 'weights.bin')).size);
    expect(tfjsToArtifacts(await fileSystemHandler(dir).load(), dir)).toEqual(sampleArtifacts());
  });

  test('a target that is a file is a ConfigError naming it', async () => {
    const file = path.join(tempDir('save-file'), 'model');
    fs.writeFileSync(file, 'x');
    await expect(fileSystemHandler(file).save(artifactsToTfjs(sampleArtifacts()))).rejects.toThrow(
      new ConfigError(`Cannot save a model to ${file}: it is a file; expected a directory (created if missing)`),
    );
  });

  test('an unwritable target is a ConfigError naming it', async () => {
    const parentFile = path.join(tempDir('save-unwritable'), 'file');
    fs.writeFileSync(parentFile, 'x');
    const dir = path.join(parentFile, 'model'); // a directory under a file cannot be created
    await expect(fileSystemHandler(dir).save(artifactsToTfjs(sampleArtifacts()))).rejects.toThrow(
      new RegExp(`Cannot save a model to ${dir}: the directory cannot be created \\(ENOTDIR\\)`),
    );
    const existing = await savedModel('save-eacces');
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    jest.spyOn(fsp, 'open').mockRejectedValueOnce(denied);
    await expect(fileSystemHandler(existing).save(artifactsToTfjs(sampleArtifacts()))).rejects.toThrow(
      new RegExp(`Cannot save a model to ${existing}: writing the files failed \\(EACCES\\)`),
    );
  });

  test('weightData that does not match weightSpecs is refused before anything is written', async () => {
    const dir = path.join(tempDir('save-mismatch'), 'm');
    const artifacts = artifactsToTfjs(sampleArtifacts());
    artifacts.weightData = (artifacts.weightData as ArrayBuffer).slice(4);
    await expect(fileSystemHandler(dir).save(artifacts)).rejects.toThrow(/weightData has 152 bytes, but weightSpecs describe 156 bytes/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('atomic: a throw mid-write leaves the old files intact and no temp files', async () => {
    const dir = await savedModel('atomic-write');
    const [oldJson, oldWeights] = ['model.json', 'weights.bin'].map((f) => fs.readFileSync(path.join(dir, f)));
    const changed = sampleArtifacts({ units: 4, name: 'renamed' });
    changed.layers[0]!.layerName = 'renamed';
    const realOpen = fsp.open.bind(fsp);
    let opened = 0;
    jest.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      opened += 1;
      if (opened === 2) throw new Error('disk full'); // weights temp written, model.json temp fails
      return realOpen(...args);
    });
    await expect(fileSystemHandler(dir).save(artifactsToTfjs(changed))).rejects.toThrow(ConfigError);
    expect(fs.readFileSync(path.join(dir, 'model.json'))).toEqual(oldJson);
    expect(fs.readFileSync(path.join(dir, 'weights.bin'))).toEqual(oldWeights);
    expect(listing(dir)).toEqual(['model.json', 'weights.bin']);
  });

  test('atomic: when model.json cannot be replaced, the old weights.bin is put back', async () => {
    const dir = await savedModel('atomic-rename');
    const [oldJson, oldWeights] = ['model.json', 'weights.bin'].map((f) => fs.readFileSync(path.join(dir, f)));
    const changed = sampleArtifacts();
    changed.layers[0]!.weights[0]!.values.fill(7);
    const realRename = fsp.rename.bind(fsp);
    jest.spyOn(fsp, 'rename').mockImplementation(async (from, to) => {
      if (String(to).endsWith('model.json')) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      return realRename(from, to);
    });
    await expect(fileSystemHandler(dir).save(artifactsToTfjs(changed))).rejects.toThrow(/writing the files failed \(EIO\)/);
    jest.restoreAllMocks();
    expect(fs.readFileSync(path.join(dir, 'model.json'))).toEqual(oldJson);
    expect(fs.readFileSync(path.join(dir, 'weights.bin'))).toEqual(oldWeights);
    expect(listing(dir)).toEqual(['model.json', 'weights.bin']);
    expect(tfjsToArtifacts(await fileSystemHandler(dir).load(), dir)).toEqual(sampleArtifacts());
  });

  test('atomic: a model.json that is a directory makes the rename fail for real; weights.bin is restored', async () => {
    const dir = await savedModel('atomic-real');
    const oldWeights = fs.readFileSync(path.join(dir, 'weights.bin'));
    fs.rmSync(path.join(dir, 'model.json'));
    fs.mkdirSync(path.join(dir, 'model.json', 'x'), { recursive: true });
    const changed = sampleArtifacts();
    changed.layers[0]!.weights[0]!.values.fill(3);
    await expect(fileSystemHandler(dir).save(artifactsToTfjs(changed))).rejects.toThrow(ConfigError);
    expect(fs.readFileSync(path.join(dir, 'weights.bin'))).toEqual(oldWeights);
    expect(listing(dir)).toEqual(['model.json', 'weights.bin']);
  });
});

describe('fileSystemHandler: load errors name the file', () => {
  test('missing directory, directory that is a file, missing model.json', async () => {
    const root = tempDir('load');
    const missing = path.join(root, 'nothing');
    await expect(fileSystemHandler(missing).load()).rejects.toThrow(new FormatError(`Cannot load a model from ${missing}: the directory does not exist`));
    const file = path.join(root, 'file');
    fs.writeFileSync(file, '{}');
    await expect(fileSystemHandler(file).load()).rejects.toThrow(/it is a file; expected a directory holding model.json and weights.bin/);
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    await expect(fileSystemHandler(empty).load()).rejects.toThrow(
      `Cannot load a model from ${empty}: ${path.join(empty, 'model.json')} is missing; it does not exist`,
    );
  });

  test('corrupt JSON and JSON that is not a model', async () => {
    const dir = await savedModel('load-corrupt');
    const json = path.join(dir, 'model.json');
    fs.writeFileSync(json, '{"modelTopology": {"class_name": ');
    await expect(fileSystemHandler(dir).load()).rejects.toThrow(new RegExp(`Corrupt ${json}: not valid JSON`));
    fs.writeFileSync(json, '[1, 2]');
    await expect(fileSystemHandler(dir).load()).rejects.toThrow(new RegExp(`Invalid ${json}: expected a JSON object with a modelTopology`));
  });

  test('weights.bin shorter or longer than the manifest says', async () => {
    const dir = await savedModel('load-size');
    const bin = path.join(dir, 'weights.bin');
    const full = fs.readFileSync(bin);
    fs.writeFileSync(bin, full.subarray(0, full.length - 4));
    await expect(fileSystemHandler(dir).load()).rejects.toThrow(
      new FormatError(`Corrupt ${bin}: 152 bytes, shorter than the 156 bytes ${path.join(dir, 'model.json')} describes for its 4 weights`),
    );
    fs.writeFileSync(bin, Buffer.concat([full, Buffer.alloc(1)]));
    await expect(fileSystemHandler(dir).load()).rejects.toThrow(/157 bytes, longer than the 156 bytes/);
    fs.rmSync(bin);
    await expect(fileSystemHandler(dir).load()).rejects.toThrow(new RegExp(`weight file ${bin} is missing or unreadable \\(ENOENT\\)`));
  });

  test('wrong dtype in the manifest', async () => {
    const dir = await savedModel('load-dtype');
    const json = modelJsonOf(dir);
    json.weightsManifest[0].weights[1].dtype = 'float64';
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    await expect(fileSystemHandler(dir).load()).rejects.toThrow(
      /Unsupported dtype of weight "dense\/bias": expected one of float32, int32, bool, complex64, quantized uint8, quantized uint16, quantized float16. Received: "float64" \(in .*model.json\)/,
    );
    // a known dtype of the right size loads, and the codec refuses it for a model weight
    json.weightsManifest[0].weights[1].dtype = 'int32';
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    await expect(fileSystemHandler(dir).load().then((a) => tfjsToArtifacts(a, dir))).rejects.toThrow(/expected float32 .*Received: int32/);
  });

  test('weight paths may not leave the directory', async () => {
    const dir = await savedModel('load-escape');
    const json = modelJsonOf(dir);
    json.weightsManifest[0].paths = ['../../etc/passwd'];
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    await expect(fileSystemHandler(dir).load()).rejects.toThrow(/Invalid weights path "..\/..\/etc\/passwd".*expected a file inside/);
  });

  test('tfjs-converter style shards (several paths, several groups) load as one buffer', async () => {
    const dir = await savedModel('load-shards');
    const json = modelJsonOf(dir);
    const bin = fs.readFileSync(path.join(dir, 'weights.bin'));
    const weights = json.weightsManifest[0].weights;
    // group 1: dense/kernel + dense/bias (96 bytes) in two shards; group 2: the rest
    fs.writeFileSync(path.join(dir, 'group1-shard1of2.bin'), bin.subarray(0, 50));
    fs.writeFileSync(path.join(dir, 'group1-shard2of2.bin'), bin.subarray(50, 96));
    fs.writeFileSync(path.join(dir, 'group2-shard1of1.bin'), bin.subarray(96));
    json.weightsManifest = [
      { paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: weights.slice(0, 2) },
      { paths: ['group2-shard1of1.bin'], weights: weights.slice(2) },
    ];
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    expect(tfjsToArtifacts(await fileSystemHandler(dir).load(), dir)).toEqual(sampleArtifacts());
  });

  test('no tensors are created around loads, error paths included', async () => {
    const dir = await savedModel('load-tensors');
    const before = tf.memory().numTensors;
    tfjsToArtifacts(await fileSystemHandler(dir).load(), dir);
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(3));
    await expect(fileSystemHandler(dir).load()).rejects.toThrow(FormatError);
    fs.writeFileSync(path.join(dir, 'model.json'), 'not json');
    await expect(fileSystemHandler(dir).load()).rejects.toThrow(FormatError);
    await expect(fileSystemHandler(path.join(dir, 'missing')).load()).rejects.toThrow(FormatError);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('stock tfjs sees the same errors through tf.loadLayersModel', async () => {
    const dir = await savedModel('load-stock');
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(8));
    const before = tf.memory().numTensors;
    await expect(tf.loadLayersModel(fileSystemHandler(dir))).rejects.toThrow(/shorter than the 156 bytes/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('parseModelPath', () => {
  test.each([
    ['file:///tmp/models/m', { kind: 'tfjs-directory', dir: '/tmp/models/m' }],
    ['file://./rel/m', { kind: 'tfjs-directory', dir: './rel/m' }],
    ['FILE:///x', { kind: 'tfjs-directory', dir: '/x' }],
    ['/tmp/models/m', { kind: 'tfjs-directory', dir: '/tmp/models/m' }],
    ['models/m/', { kind: 'tfjs-directory', dir: 'models/m/' }],
    ['models/m/model.json', { kind: 'tfjs-directory', dir: 'models/m' }],
    ['file:///tmp/m/model.json', { kind: 'tfjs-directory', dir: '/tmp/m' }],
    ['C:\\models\\m', { kind: 'tfjs-directory', dir: 'C:\\models\\m' }],
    ['out/model.keras', { kind: 'keras', file: 'out/model.keras' }],
    ['file:///out/Model.KERAS', { kind: 'keras', file: '/out/Model.KERAS' }],
    ['out/model.weights.h5', { kind: 'keras-weights', file: 'out/model.weights.h5' }],
    ['indexeddb://my-model', { kind: 'tfjs-url', url: 'indexeddb://my-model' }],
    ['localstorage://my-model', { kind: 'tfjs-url', url: 'localstorage://my-model' }],
    ['http://host/model.json', { kind: 'tfjs-url', url: 'http://host/model.json' }],
    ['https://host/m/model.keras', { kind: 'tfjs-url', url: 'https://host/m/model.keras' }],
    ['downloads://m', { kind: 'tfjs-url', url: 'downloads://m' }],
  ])('%s', (target, expected) => {
    expect(parseModelPath(target)).toEqual(expected);
  });

  test('empty paths, bare file:// and legacy .h5 are ConfigErrors', () => {
    expect(() => parseModelPath('')).toThrow(ConfigError);
    expect(() => parseModelPath('file://')).toThrow(/expected a path after file:\/\//);
    expect(() => parseModelPath('old/model.h5')).toThrow(/legacy HDF5 models cannot be read/);
  });
});
