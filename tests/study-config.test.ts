import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, constraints, layers, regularizers } from '../src';
import { parseStudyFile, readStudyFile, resolveConfig } from '../src/study/config/resolve';
import { parseSettings } from '../src/study/config/settings';

describe('parseSettings', () => {
  test('names are the techniques without values; values become specs', () => {
    expect(parseSettings('none,l1=1e-4,l2=1e-4,dropout=0.3,l2=1e-4+dropout=0.2')).toEqual([
      { name: 'none', spec: {} },
      { name: 'l1', spec: { kernelRegularizer: { className: 'L1', config: { l1: 1e-4 } } } },
      { name: 'l2', spec: { kernelRegularizer: { className: 'L2', config: { l2: 1e-4 } } } },
      { name: 'dropout', spec: { dropout: 0.3 } },
      { name: 'l2+dropout', spec: { kernelRegularizer: { className: 'L2', config: { l2: 1e-4 } }, dropout: 0.2 } },
    ]);
  });

  test('bare names take the article strengths; l1_l2 takes one or two values', () => {
    expect(parseSettings('l1,l2,l1_l2,dropout,maxnorm').map((s) => s.spec)).toEqual([
      { kernelRegularizer: { className: 'L1', config: { l1: 1e-3 } } },
      { kernelRegularizer: { className: 'L2', config: { l2: 1e-3 } } },
      { kernelRegularizer: { className: 'L1L2', config: { l1: 1e-3, l2: 1e-3 } } },
      { dropout: 0.2 },
      { kernelConstraint: { className: 'MaxNorm', config: { maxValue: 3 } } },
    ]);
    expect(parseSettings('l1_l2=1e-5:2e-4')[0]!.spec).toEqual({ kernelRegularizer: { className: 'L1L2', config: { l1: 1e-5, l2: 2e-4 } } });
    expect(parseSettings('l1_l2=1e-5')[0]!.spec).toEqual({ kernelRegularizer: { className: 'L1L2', config: { l1: 1e-5, l2: 1e-5 } } });
  });

  test('settings that would share a name keep their full text', () => {
    expect(parseSettings('none,l2=1e-4,l2=1e-3').map((s) => s.name)).toEqual(['none', 'l2=1e-4', 'l2=1e-3']);
  });

  test.each([
    ['l3=1', /unknown technique "l3"/],
    ['dropout=1.5', /dropout rate must be in \[0, 1\)/],
    ['l1=abc', /"abc" is not a number >= 0/],
    ['l1=-1', /is not a number >= 0/],
    ['l1+l2', /kernelRegularizer is given twice/],
    ['none,,l1', /an empty setting/],
    ['l1,l1', /listed twice/],
    ['none=1', /'none' takes no value/],
  ])('%s is a ConfigError that says why', (text, why) => {
    expect(() => parseSettings(text)).toThrow(ConfigError);
    expect(() => parseSettings(text)).toThrow(why);
  });
});

describe('settings in the one config form', () => {
  test('the shorthand { l1 } / { name: "maxNorm" } and { className, config } resolve to the same setting', () => {
    const short = resolveConfig(parseStudyFile({ settings: { s: { kernelRegularizer: { l1: 1e-4, l2: 2e-4 }, kernelConstraint: { name: 'maxNorm', maxValue: 2 } } } }), { source: 'synthetic' });
    const full = resolveConfig(parseStudyFile({
      settings: { s: { kernelRegularizer: { className: 'L1L2', config: { l1: 1e-4, l2: 2e-4 } }, kernelConstraint: { className: 'MaxNorm', config: { maxValue: 2 } } } },
    }), { source: 'synthetic' });
    expect(full.settings).toEqual(short.settings);
    expect(full.settings[0]!.spec.kernelRegularizer).toEqual({ className: 'L1L2', config: { l1: 1e-4, l2: 2e-4 } });
  });

  test("a layer's getConfig() regularizer is a study setting as it is", () => {
    const config = layers.Dense(4, { kernelRegularizer: regularizers.l2(3e-4), kernelConstraint: constraints.maxNorm(2) }).getConfig();
    const resolved = resolveConfig(parseStudyFile({ settings: { s: { kernelRegularizer: config['kernelRegularizer'], kernelConstraint: config['kernelConstraint'] } } }), { source: 'synthetic' });
    expect(resolved.settings[0]!.spec).toEqual({ kernelRegularizer: config['kernelRegularizer'], kernelConstraint: config['kernelConstraint'] });
  });
});

describe('study config validation points at the field and value', () => {
  test.each([
    [{ epochs: 0 }, /`epochs`: .*Received: epochs=0/],
    [{ hidden: [512, -1] }, /`hidden\.1`: .*Received: hidden\.1=-1/],
    [{ optimizer: 'adamm' }, /`optimizer\.name`: Invalid option: expected one of .*"adam".*Received: optimizer\.name="adamm"/],
    [{ settings: { l1: { kernelRegularizer: { l1: -0.1 } } } }, /`settings\.l1\.kernelRegularizer`: .*Invalid `l1`.*Received: l1=-0\.1/],
    [{ settings: { l1: { kernelRegularizer: { className: 'L1', config: { l2: 5 } } } } }, /`settings\.l1\.kernelRegularizer`: .*Unknown option `l2`/],
    [{ settings: { m: { kernelConstraint: { className: 'MaxNorm', config: { maxValue: -1 } } } } }, /`settings\.m\.kernelConstraint`: .*Invalid `maxValue`/],
    [{ settings: { d: { dropout: 1 } } }, /`settings\.d\.dropout`/],
    [{ dataset: { source: 'fashion-mnist', trainSize: 1.5 } }, /`dataset\.trainSize`.*Received: dataset\.trainSize=1\.5/],
    [{ dataset: 'imagenet' }, /`dataset\.source`: .*'fashion-mnist'.*Received: dataset\.source="imagenet"/],
    [{ epoch: 3 }, /Unrecognized key: "epoch"/],
    [{ backend: 'gpu' }, /`backend`.*Received: backend="gpu"/],
  ])('%j', (input, message) => {
    expect(() => parseStudyFile(input)).toThrow(ConfigError);
    expect(() => parseStudyFile(input)).toThrow(message);
  });

  test('a --config file: bad JSON and bad fields name the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-config-'));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ "epochs": 3, }');
    expect(() => readStudyFile(bad)).toThrow(/bad\.json" is not valid JSON/);
    const wrong = path.join(dir, 'wrong.json');
    fs.writeFileSync(wrong, JSON.stringify({ repeats: 'three' }));
    expect(() => readStudyFile(wrong)).toThrow(/Invalid study config .*wrong\.json:\n {2}`repeats`.*Received: repeats="three"/);
    expect(() => readStudyFile(path.join(dir, 'missing.json'))).toThrow(/Cannot read the study config/);
    fs.rmSync(dir, { recursive: true });
  });

  test('defaults, and per-layer dropout must match the hidden layers', () => {
    const config = resolveConfig(parseStudyFile({}), { source: 'synthetic' });
    expect(config).toMatchObject({ hidden: [64, 64], activation: 'relu', epochs: 40, batchSize: 32, repeats: 3, seed: 0, baseline: 'none', earlyStopping: false });
    expect(config.settings.map((s) => s.name)).toEqual(['none', 'l1', 'l2', 'l1_l2', 'dropout']);
    expect(() => resolveConfig(parseStudyFile({ settings: { d: { dropout: [0.1, 0.2, 0.3] } } }), { source: 'synthetic' })).toThrow(
      /`settings\.d\.dropout`: expected one rate per hidden layer \(2\)/,
    );
    expect(() => resolveConfig(parseStudyFile({ baseline: 'l9' }), { source: 'synthetic' })).toThrow(/Invalid `baseline`/);
  });
});
