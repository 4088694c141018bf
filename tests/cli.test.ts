import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Runs the CLI from source, as `npx keras-ts` runs the built file. */
function cli(args: string[], cwd = process.cwd()): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.resolve('src/cli/main.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.resolve('tsconfig.json') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--help documents every compare option', () => {
  const { code, stdout } = cli(['compare', '--help']);
  expect(code).toBe(0);
  for (const flag of ['--dataset', '--settings', '--config', '--hidden', '--epochs', '--batch-size', '--repeats', '--seed', '--train-size', '--parallel', '--backend', '--out']) {
    expect(stdout).toContain(flag);
  }
});

test('a tiny study end to end: files, the final table, and a rebuilt report', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-cli-'));
  const run = cli(['compare', '--train-size', '60', '--hidden', '8', '--epochs', '2', '--repeats', '2', '--settings', 'none,l2=1e-3,dropout=0.2',
    '--parallel', '2', '--backend', 'wasm', '--out', out]);
  expect(run.stderr).toMatch(/6 trials on wasm, 2 at a time/);
  expect(run.code).toBe(0);
  for (const name of ['none', 'l2', 'dropout']) expect(run.stdout).toContain(name);
  const files = fs.readdirSync(out).sort();
  expect(files).toEqual(
    ['gap.svg', 'learning-curves.svg', 'report.html', 'report.md', 'results.csv', 'results.json', 'study.json', 'trials.jsonl', 'weight-histograms.svg'].sort(),
  );
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
  expect(results.trials).toHaveLength(6);
  expect(results.summary.settings.map((s: { setting: string }) => s.setting)).toEqual(['none', 'l2', 'dropout']);
  fs.rmSync(path.join(out, 'report.md'));
  const report = cli(['report', out]);
  expect(report.code).toBe(0);
  expect(fs.existsSync(path.join(out, 'report.md'))).toBe(true);
  fs.rmSync(out, { recursive: true });
});

test('bad flags and bad configs exit 1 with a message naming the field', () => {
  const bad = cli(['compare', '--epochs', 'ten']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/--epochs.*expected a positive integer, got "ten"/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-cli-'));
  const config = path.join(dir, 'study.json');
  fs.writeFileSync(config, JSON.stringify({ hidden: [512, 0] }));
  const badConfig = cli(['compare', '--config', config, '--out', path.join(dir, 'out')]);
  expect(badConfig.code).toBe(1);
  expect(badConfig.stderr).toMatch(/ConfigError: Invalid study config .*study\.json:\n {2}`hidden\.1`.*Received: hidden\.1=0/);
  const badSettings = cli(['compare', '--settings', 'none,l3', '--out', path.join(dir, 'out')]);
  expect(badSettings.stderr).toMatch(/Invalid `settings`: unknown technique "l3"/);
  expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  fs.rmSync(dir, { recursive: true });
});
