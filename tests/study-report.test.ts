import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatSummaryTable, renderSvg, REPORT_FILES, resultsCsv, writeReports } from '../src/study/report';
import { csvField } from '../src/study/report/results-csv';
import { scopeSvgIds } from '../src/study/report/html';
import { curvePoints } from '../src/study/report/plots/learning-curves';
import { firstLayerHistograms } from '../src/study/report/plots/weight-histograms';
import { summarize } from '../src/study/analysis/summarize';
import { STUDY_SCHEMA_VERSION } from '../src/study/records';
import type { StudyResultData, TrialRecord } from '../src/study/records';
import { FIXTURE_SETTINGS, makeStudyData, makeTrial } from './fixtures/study-data';

const EXPECTED_FILES = ['results.json', 'results.csv', 'report.md', 'report.html', 'learning-curves.svg', 'gap.svg', 'weight-histograms.svg'];

const CSV_HEADER = [
  'setting', 'repeat', 'seed', 'backend', 'epochs', 'bestEpoch',
  'train.loss', 'train.accuracy', 'test.loss', 'test.accuracy', 'gap.loss', 'gap.accuracy', 'penalty',
  'weights.0.l1Norm', 'weights.0.l2Norm', 'weights.0.nearZeroFraction', 'weights.0.zeroFraction',
  'weights.1.l1Norm', 'weights.1.l2Norm', 'weights.1.nearZeroFraction', 'weights.1.zeroFraction',
  'secondsPerEpoch', 'samplesPerSecond',
];

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-report-'));
}

/** Minimal RFC 4180 reader (quoted fields, doubled quotes) to check what the writer produced. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += ch;
  }
  return rows;
}

describe('writeReports', () => {
  const data = makeStudyData({ repeats: 2 });
  let dir: string;
  let written: string[];

  beforeAll(async () => {
    dir = tempDir();
    written = await writeReports(data, path.join(dir, 'study'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const read = (name: string): string => fs.readFileSync(path.join(dir, 'study', name), 'utf8');

  it('writes every file (creating the folder) and returns their paths, leaving no temp files', () => {
    expect(written).toEqual(EXPECTED_FILES.map((f) => path.join(dir, 'study', f)));
    expect(Object.values(REPORT_FILES).sort()).toEqual([...EXPECTED_FILES].sort());
    for (const file of written) expect(fs.statSync(file).size).toBeGreaterThan(100);
    expect(fs.readdirSync(path.join(dir, 'study')).sort()).toEqual([...EXPECTED_FILES].sort());
  });

  it('results.json round-trips the data', () => {
    const parsed = JSON.parse(read('results.json')) as StudyResultData;
    expect(parsed.schemaVersion).toBe(STUDY_SCHEMA_VERSION);
    expect(parsed.context.cpu).toBe('Test CPU @ 2.0GHz');
    expect(parsed.trials).toHaveLength(8);
    expect(parsed.summary.settings.map((s) => s.setting)).toEqual(FIXTURE_SETTINGS);
    expect(parsed).toEqual(data);
  });

  it('results.csv has the fixed header and one row per trial, in setting then repeat order', () => {
    const rows = parseCsv(read('results.csv'));
    expect(rows[0]).toEqual(CSV_HEADER);
    expect(rows).toHaveLength(1 + data.trials.length);
    expect(rows.slice(1).map((r) => `${r[0]}/${r[1]}`)).toEqual(FIXTURE_SETTINGS.flatMap((s) => [`${s}/0`, `${s}/1`]));
    const l1 = data.trials.find((t) => t.setting === 'l1' && t.repeat === 1)!;
    const row = rows.find((r) => r[0] === 'l1' && r[1] === '1')!;
    const column = (name: string): number => Number(row[CSV_HEADER.indexOf(name)]);
    expect(column('test.loss')).toBe(l1.test.loss); // full precision
    expect(column('gap.accuracy')).toBe(l1.gap.accuracy);
    expect(column('weights.1.zeroFraction')).toBe(l1.weights[1]!.zeroFraction);
    expect(column('samplesPerSecond')).toBe(l1.samplesPerSecond);
  });

  it('SVG plots are standalone SVG documents naming every setting', () => {
    for (const name of ['learning-curves.svg', 'gap.svg', 'weight-histograms.svg']) {
      const svg = read(name);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg.match(/<svg\b/g)).toHaveLength(1);
      for (const setting of FIXTURE_SETTINGS) expect(svg).toContain(`>${setting}`);
    }
    expect(read('gap.svg')).toContain('accuracy gap (train − test, pt)');
    const l1NearZero = data.summary.settings.find((s) => s.setting === 'l1')!.metrics['weights.0.nearZeroFraction']!.mean;
    expect(l1NearZero).toBeGreaterThan(0.3); // the fixture's L1 kernels are sparse
    expect(read('weight-histograms.svg').includes(`l1 · ${(l1NearZero * 100).toFixed(1)}% near zero`)).toBe(true);
  });

  it('report.html is self-contained: inline SVGs and CSS, no external references', () => {
    const html = read('report.html');
    expect(html.match(/<svg\b/g)).toHaveLength(3);
    const urls = html.match(/https?:\/\/[^\s"'<>)]*/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).not.toMatch(/<script|<link|<img|@import|@font-face|src=/i);
    expect(html).toContain('<style>');
    for (const s of data.summary.settings) {
      expect(html).toContain(`${s.setting}<`);
      expect(html).toContain(s.verdict.slice(s.setting.length + 2)); // verdict without "setting: "
    }
  });

  it('report.md holds the context, summary and kernel tables and links the plots', () => {
    const md = read('report.md');
    expect(md).toMatch(/^# Regularization study: synthetic\n/);
    expect(md).toContain('| CPU | Test CPU @ 2.0GHz (2 cores) |');
    expect(md).toContain(
      'Ranked by test accuracy (higher is better); baseline: none; mean ± std over 2 repeats. L1 norm and near-zero share (|w| < 1e-3) of the first Dense kernel (dense).',
    );
    expect(md).toContain('| Rank | Setting | Test acc | Test loss | Loss gap | Acc gap | L1 norm | Near 0 | Verdict vs baseline |');
    const l2 = data.summary.settings.find((s) => s.setting === 'l2')!;
    const l2Row = md.split('\n').find((line) => line.startsWith(`| ${l2.rank} | l2 |`));
    expect(l2Row).toBeDefined();
    expect(l2Row).toContain(`${(l2.metrics['test.accuracy']!.mean * 100).toFixed(1)} ± ${(l2.metrics['test.accuracy']!.std * 100).toFixed(1)}%`);
    expect(md).toContain('| dense_1 | l1 |');
    for (const svg of ['learning-curves.svg', 'gap.svg', 'weight-histograms.svg']) expect(md).toContain(`](${svg})`);
  });

  it('is deterministic: the same data gives byte-identical files', async () => {
    const again = tempDir();
    try {
      await writeReports(JSON.parse(read('results.json')) as StudyResultData, again);
      for (const name of EXPECTED_FILES) expect(fs.readFileSync(path.join(again, name), 'utf8')).toBe(read(name));
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });
});

describe('regression reports', () => {
  it('leave accuracy out of tables and plots and keep the CSV columns (empty)', async () => {
    const data = makeStudyData({ task: 'regression', repeats: 1 });
    const dir = tempDir();
    try {
      await writeReports(data, dir);
      const rows = parseCsv(fs.readFileSync(path.join(dir, 'results.csv'), 'utf8'));
      expect(rows[0]).toEqual(CSV_HEADER);
      expect(rows.slice(1).every((r) => r[CSV_HEADER.indexOf('test.accuracy')] === '' && r[CSV_HEADER.indexOf('gap.accuracy')] === '')).toBe(true);
      expect(fs.readFileSync(path.join(dir, 'gap.svg'), 'utf8')).not.toContain('accuracy');
      const md = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
      expect(md).toContain('Ranked by test loss (lower is better)');
      expect(md).not.toContain('Test acc');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('degenerate studies', () => {
  it('render with one setting, one repeat and no validation curves', async () => {
    const trials = [makeTrial({ setting: 'only' })];
    const data: StudyResultData = { ...makeStudyData({ repeats: 1 }), trials, summary: summarize(trials) };
    const dir = tempDir();
    try {
      const files = await writeReports(data, dir);
      expect(files).toHaveLength(7);
      expect(fs.readFileSync(path.join(dir, 'learning-curves.svg'), 'utf8')).toContain('>only');
      expect(formatSummaryTable(data)).toContain('baseline (loss gap 0.200, test accuracy 80.0%, 1 repeat)');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('formatSummaryTable', () => {
  it('prints a caption, a header, a rule and one aligned row per setting', () => {
    const data = makeStudyData({ repeats: 2 });
    const lines = formatSummaryTable(data).split('\n');
    expect(lines[0]).toMatch(/^synthetic: Ranked by test accuracy \(higher is better\); baseline: none; mean ± std over 2 repeats\. .*\(dense\)\.$/);
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(/^Setting +Test acc +Test loss +Loss gap +L1 norm +Near 0 +Rank +Verdict vs baseline$/);
    expect(lines).toHaveLength(4 + FIXTURE_SETTINGS.length);
    const verdictAt = lines[2]!.indexOf('Verdict');
    data.summary.settings.forEach((s, i) => {
      const line = lines[4 + i]!;
      expect(line.startsWith(s.setting)).toBe(true);
      expect(line.slice(verdictAt)).toBe(s.verdict.slice(s.setting.length + 2));
      expect(line.slice(0, verdictAt).trimEnd().endsWith(` ${s.rank}`)).toBe(true); // rank right-aligned before the verdict
    });
  });
});

describe('report pieces', () => {
  it('quotes CSV fields with commas, quotes and newlines', () => {
    expect(csvField('l2 "strong", 0.1')).toBe('"l2 ""strong"", 0.1"');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(undefined)).toBe('');
    expect(csvField(0.1)).toBe('0.1');
    const trials: TrialRecord[] = [makeTrial({ setting: 'none' }), makeTrial({ setting: 'l2 "strong", 0.1' })];
    const data = { ...makeStudyData({ repeats: 1 }), trials, summary: summarize(trials) };
    const rows = parseCsv(resultsCsv(data));
    expect(rows.map((r) => r[0])).toEqual(['setting', 'none', 'l2 "strong", 0.1']);
    expect(rows.every((r) => r.length === 4 + 13 + 2)).toBe(true); // 13 leading columns, one kernel, 2 speed
  });

  it('learning curves average the data loss (penalty removed) over repeats per epoch', () => {
    const curves = (loss: number[]): TrialRecord['curves'] => ({ loss, penalty: [0.1, 0.1], val_loss: loss.map((v) => v + 0.5), val_penalty: [0.2, 0.2] });
    const trials = [makeTrial({ repeat: 0, curves: curves([1.0, 0.8]) }), makeTrial({ repeat: 1, curves: curves([1.2]) })];
    const data = { ...makeStudyData({ repeats: 1 }), trials, summary: summarize(trials) };
    const points = curvePoints(data);
    const train = points.filter((p) => p.split === 'train');
    expect(train.map((p) => p.epoch)).toEqual([1, 2]);
    expect(train[0]!.mean).toBeCloseTo(1.0, 12); // (0.9 + 1.1) / 2
    expect(train[0]!.high - train[0]!.mean).toBeCloseTo(Math.SQRT2 * 0.1, 12); // sample std of 0.9, 1.1
    expect(train[1]).toMatchObject({ n: 1, low: train[1]!.high }); // only repeat 0 reached epoch 2
    expect(train[1]!.mean).toBeCloseTo(0.7, 12);
    expect(points.find((p) => p.split === 'validation' && p.epoch === 1)!.mean).toBeCloseTo(1.4, 12); // (1.5 − 0.2 + 1.7 − 0.2) / 2
  });

  it('weight histograms share one width and sum to a fraction of 1 per setting', () => {
    const data = makeStudyData({ repeats: 2 });
    const histograms = firstLayerHistograms(data);
    expect([...histograms.keys()]).toEqual(FIXTURE_SETTINGS);
    const widths = new Set([...histograms.values()].map((h) => h.edges[1]! - h.edges[0]!));
    expect(widths.size).toBe(1);
    for (const h of histograms.values()) expect(h.counts.reduce((a, b) => a + b, 0)).toBe(2 * 48); // 2 repeats × 8×6 kernel
  });

  it('scopes SVG ids so inlined plots cannot collide', () => {
    const svg = '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/></svg>';
    expect(scopeSvgIds(svg, 'gap')).toBe('<svg><clipPath id="gap-clip1"/><g clip-path="url(#gap-clip1)"/><use href="#gap-clip1"/></svg>');
  });
});

describe('renderSvg', () => {
  it('refuses specs that load data from a URL instead of touching the network', async () => {
    const spec = { data: { url: 'https://example.com/data.csv' }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } } as const;
    await expect(renderSvg(spec)).rejects.toThrow(/refusing to (load|link|fetch).*example\.com/);
  });
});
