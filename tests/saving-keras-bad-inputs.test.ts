/** Every kind of bad .keras input fails with a FormatError that names the file and the entry. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, FormatError, ShapeError } from '../src/errors';
import { decodeKerasArchive, encodeKerasArchive } from '../src/saving/keras';
import { writeVarsH5 } from '../src/saving/keras/h5-store';
import type { SerializedObject } from '../src/saving/artifacts';
import { entriesOf, patchCentral, sampleArtifacts, zipOf } from './saving-keras-helpers';

const FIXTURE = path.resolve(__dirname, 'fixtures/keras3/keras3_sequential.keras');
const fixture = new Uint8Array(fs.readFileSync(FIXTURE));
const fixtureEntries = entriesOf(fixture);
const text = (data: Uint8Array | undefined) => new TextDecoder().decode(data);
const fixtureConfig = () => JSON.parse(text(fixtureEntries['config.json'])) as Record<string, any>;

/** The fixture's entries with some replaced (undefined removes one). */
function withEntries(changes: Record<string, Uint8Array | string | undefined>): Uint8Array {
  const entries: Record<string, Uint8Array | string> = { ...fixtureEntries } as Record<string, Uint8Array>;
  for (const [name, data] of Object.entries(changes)) {
    if (data === undefined) delete entries[name];
    else entries[name] = data;
  }
  return zipOf(entries);
}

async function rejects(bytes: Uint8Array, ...patterns: RegExp[]): Promise<void> {
  const error = await decodeKerasArchive(bytes, 'bad.keras').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FormatError);
  const message = (error as Error).message;
  expect(message).toContain('"bad.keras"');
  for (const pattern of patterns) expect(message).toMatch(pattern);
}

describe('the container', () => {
  test('not a zip', () => rejects(new TextEncoder().encode('hello, this is not a model'), /zip container/, /does not start with a zip entry/));
  test('a bare HDF5 file (wrong kind of file)', () => rejects(fixtureEntries['model.weights.h5']!, /bare HDF5 file/));
  test('truncated archive', () => rejects(fixture.subarray(0, Math.floor(fixture.length / 2)), /end-of-central-directory/, /truncated/));
  test('an entry running past the end of the file', () =>
    rejects(patchCentral(fixture, 'model.weights.h5', 20, 10_000_000), /"model\.weights\.h5"/, /truncated/));
  test('missing config.json', () => rejects(withEntries({ 'config.json': undefined }), /"config\.json"/, /missing/));
  test('missing model.weights.h5', () => rejects(withEntries({ 'model.weights.h5': undefined }), /"model\.weights\.h5"/, /missing/));
  test('an entry named with ..', () => rejects(withEntries({ '../../evil.sh': 'echo pwned' }), /"\.\.\/\.\.\/evil\.sh"/, /unsafe entry name/));
  test('an entry with an absolute path', () => rejects(withEntries({ '/etc/cron.d/evil': 'x' }), /"\/etc\/cron\.d\/evil"/, /unsafe entry name/));
  test('an entry declaring a huge size is refused before inflating', () =>
    rejects(patchCentral(withEntries({}), 'config.json', 24, 0xfffffff0), /"config\.json"/, /too large/, /4294967280 bytes declared/));
  test('inflating stops at the declared size', async () => {
    const deflated = zipOf({ ...fixtureEntries }, 6);
    await rejects(patchCentral(deflated, 'config.json', 24, 100), /"config\.json"/, /inflates past its declared size/);
  });
  test('a corrupt entry fails its CRC check', async () => {
    const bytes = withEntries({ 'config.json': '{"x": 1}' });
    const at = Buffer.from(bytes).indexOf('{"x": 1}');
    bytes[at + 6] = '2'.charCodeAt(0);
    await rejects(bytes, /"config\.json"/, /CRC-32/);
  });
});

describe('the JSON entries', () => {
  test('corrupt config.json', () => rejects(withEntries({ 'config.json': '{"module": "keras", "class_' }), /"config\.json"/, /not valid JSON/));
  test('corrupt metadata.json', () => rejects(withEntries({ 'metadata.json': '{"keras_version": ' }), /"metadata\.json"/, /not valid JSON/));
  test('config.json is not an object', () => rejects(withEntries({ 'config.json': '[1, 2]' }), /"config\.json"/, /not a JSON object/));
  test('an unknown layer class lists the supported ones', async () => {
    const config = fixtureConfig();
    config['config']['layers'][2]['class_name'] = 'Conv2D';
    await rejects(withEntries({ 'config.json': JSON.stringify(config) }), /"config\.json"/, /config\.layers\[2\]/, /"Conv2D"/, /InputLayer, Dense, Dropout/);
  });
  test('an unknown regularizer class', async () => {
    const config = fixtureConfig();
    config['config']['layers'][1]['config']['kernel_regularizer']['class_name'] = 'MyRegularizer';
    await rejects(withEntries({ 'config.json': JSON.stringify(config) }), /kernel_regularizer/, /"MyRegularizer"/, /L1, L2, L1L2, OrthogonalRegularizer/);
  });
  test('a Functional model', async () => {
    const config = fixtureConfig();
    config['class_name'] = 'Functional';
    await rejects(withEntries({ 'config.json': JSON.stringify(config) }), /"Functional"/, /Expected Sequential/);
  });
  test('a value of the wrong type', async () => {
    const config = fixtureConfig();
    config['config']['layers'][1]['config']['units'] = '64';
    await rejects(withEntries({ 'config.json': JSON.stringify(config) }), /config\.layers\[1\]\.config\.units/, /an integer/);
  });
  test('a setting keras-ts would silently ignore (quantization)', async () => {
    const config = fixtureConfig();
    config['config']['layers'][1]['config']['quantization_config'] = { mode: 'int8' };
    await rejects(withEntries({ 'config.json': JSON.stringify(config) }), /quantization_config/, /does not support/);
  });
});

describe('the weights file', () => {
  test('not HDF5', () => rejects(withEntries({ 'model.weights.h5': 'definitely not hdf5' }), /"model\.weights\.h5"/, /not an HDF5 file/));
  test('corrupt HDF5', () => {
    const h5 = fixtureEntries['model.weights.h5']!.slice();
    h5.fill(0x5a, 8, 200);
    return rejects(withEntries({ 'model.weights.h5': h5 }), /"model\.weights\.h5"/, /cannot be opened/);
  });
  test('truncated HDF5', () =>
    rejects(withEntries({ 'model.weights.h5': fixtureEntries['model.weights.h5']!.subarray(0, 20_000) }), /"model\.weights\.h5"/, /truncated/));
  test('a kernel whose shape disagrees with the config', async () => {
    const config = fixtureConfig();
    config['config']['layers'][1]['config']['units'] = 65;
    await rejects(withEntries({ 'config.json': JSON.stringify(config) }), /model\.weights\.h5:\/layers\/dense\/vars\/0/, /dense\/kernel has the wrong shape/, /\[20, 65\]/, /\[20, 64\]/);
  });
  test('a missing bias (weight count)', async () => {
    const config = fixtureConfig();
    config['config']['layers'][4]['config']['use_bias'] = false;
    await rejects(withEntries({ 'config.json': JSON.stringify(config) }), /model\.weights\.h5:\/layers\/dense_2\/vars/, /wrong number of weights/, /Expected 1 \(kernel\)/, /Received: 2/);
  });
  test('a layer the config does not have', async () => {
    const config = fixtureConfig();
    config['config']['layers'].splice(4, 1);
    await rejects(withEntries({ 'config.json': JSON.stringify(config) }), /layers\/dense_2/, /a layer the config does not have/);
  });
  test('weights of the wrong dtype', async () => {
    const h5 = await writeVarsH5([
      { path: '', name: 'sequential', arrays: [] },
      { path: 'layers/dense', name: 'dense', arrays: [{ shape: [20, 64], data: new BigInt64Array(20 * 64) }, { shape: [64], data: new Float32Array(64) }] },
    ]);
    await rejects(withEntries({ 'model.weights.h5': h5 }), /layers\/dense\/vars\/0/, /not float32/, /int64/);
  });
  test('an optimizer with the wrong number of variables', async () => {
    const artifacts = sampleArtifacts({ optimizer: { className: 'Adam', config: {} }, slots: ['momentum', 'velocity'] });
    const entries = entriesOf(await encodeKerasArchive(artifacts));
    const config = JSON.parse(text(entries['config.json']));
    config['compile_config']['optimizer']['config']['amsgrad'] = true; // now 15 slots more are expected
    await rejects(zipOf({ ...entries, 'config.json': JSON.stringify(config) }), /optimizer\/vars/, /wrong number of optimizer variables/, /Received: 12/);
  });
});

describe('the encoder checks the artifacts', () => {
  test('a weight shape that disagrees with the config', async () => {
    const artifacts = sampleArtifacts();
    artifacts.layers[0]!.weights[0]!.shape = [5, 4];
    await expect(encodeKerasArchive(artifacts)).rejects.toThrow(ShapeError);
    await expect(encodeKerasArchive(artifacts)).rejects.toThrow(/layers\[0\]\.weights\[0\].*hidden\/kernel.*\[4, 5\]/);
  });
  test('a missing input shape', async () => {
    const artifacts = sampleArtifacts();
    delete (artifacts.model.config['layers'] as SerializedObject[])[0]!.config['inputShape'];
    await expect(encodeKerasArchive(artifacts)).rejects.toThrow(ConfigError);
    await expect(encodeKerasArchive(artifacts)).rejects.toThrow(/inputShape/);
  });
  test('an unknown config key', async () => {
    const artifacts = sampleArtifacts();
    (artifacts.model.config['layers'] as SerializedObject[])[1]!.config['momentum'] = 0.5;
    await expect(encodeKerasArchive(artifacts)).rejects.toThrow(/layers\[1\]\.config\.momentum.*a key of Dropout/);
  });
  test('slots out of order', async () => {
    const artifacts = sampleArtifacts({ optimizer: { className: 'Adam', config: {} }, slots: ['velocity', 'momentum'] });
    await expect(encodeKerasArchive(artifacts)).rejects.toThrow(/training\.slots.*hidden\/kernel\/momentum/);
  });
});
