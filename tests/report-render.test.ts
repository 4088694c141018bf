/**
 * Opens report.html in headless Chromium and checks the screenshot shows a rendered report: ink
 * on the page, dark text, and each setting's plot color — a blank page (rendered as a control in
 * the same way) fails every one of these checks.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeReports } from '../src/study/report';
import { settingColor } from '../src/study/report/plots/colors';
import { decodePng, rgbAt } from './fixtures/png';
import type { DecodedPng } from './fixtures/png';
import { FIXTURE_SETTINGS, makeStudyData } from './fixtures/study-data';

const CHROMIUM = '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
const required = process.env['KERAS_TS_REQUIRE_CHROMIUM'] === '1';

function screenshot(page: string, png: string, workDir: string): void {
  const profile = fs.mkdtempSync(path.join(workDir, 'profile-'));
  const result = spawnSync(
    CHROMIUM,
    [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${profile}`, `--screenshot=${png}`, '--window-size=1280,2000', `file://${page}`,
    ],
    { timeout: 90_000, stdio: 'pipe', encoding: 'utf8' },
  );
  if (!fs.existsSync(png)) {
    throw new Error(`Chromium wrote no screenshot (status ${result.status}, signal ${result.signal}): ${String(result.stderr).slice(-800)}`);
  }
}

interface Ink {
  /** Fraction of pixels that differ from the page background (top-left pixel). */
  inkFraction: number;
  /** Pixels dark enough to be text or axes. */
  darkPixels: number;
  /** Pixels matching each setting's plot color (±3 per channel). */
  colorPixels: number[];
}

function inkOf(png: DecodedPng, colors: string[]): Ink {
  const background = rgbAt(png, 0, 0);
  const targets = colors.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  let ink = 0;
  let dark = 0;
  const colorPixels = colors.map(() => 0);
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const [r, g, b] = rgbAt(png, x, y);
      if (Math.abs(r - background[0]) + Math.abs(g - background[1]) + Math.abs(b - background[2]) > 12) ink++;
      if (0.299 * r + 0.587 * g + 0.114 * b < 90) dark++;
      targets.forEach(([tr, tg, tb], i) => {
        if (Math.abs(r - tr!) <= 3 && Math.abs(g - tg!) <= 3 && Math.abs(b - tb!) <= 3) colorPixels[i]!++;
      });
    }
  }
  return { inkFraction: ink / (png.width * png.height), darkPixels: dark, colorPixels };
}

/** What a rendered report must show; a blank page fails all three. */
function looksRendered(ink: Ink): boolean {
  return ink.inkFraction > 0.05 && ink.darkPixels > 5000 && ink.colorPixels.every((n) => n > 500);
}

const title = available
  ? 'report.html renders in headless Chromium with tables, text and every setting color'
  : required
    ? 'report.html renders in headless Chromium (KERAS_TS_REQUIRE_CHROMIUM=1)'
    : `report.html renders in headless Chromium — skipped: ${CHROMIUM} not found (set KERAS_TS_REQUIRE_CHROMIUM=1 to fail instead)`;

(available || required ? it : it.skip)(title, async () => {
  if (!available) throw new Error(`KERAS_TS_REQUIRE_CHROMIUM=1 but ${CHROMIUM} does not exist; install chromium.`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-render-'));
  try {
    await writeReports(makeStudyData({ repeats: 3 }), path.join(dir, 'study'));
    const colors = FIXTURE_SETTINGS.map((_, i) => settingColor(i));

    screenshot(path.join(dir, 'study', 'report.html'), path.join(dir, 'report.png'), dir);
    const report = decodePng(fs.readFileSync(path.join(dir, 'report.png')));
    expect([report.width, report.height]).toEqual([1280, 2000]);
    const ink = inkOf(report, colors);
    expect(ink.inkFraction).toBeGreaterThan(0.05);
    expect(ink.darkPixels).toBeGreaterThan(5000);
    ink.colorPixels.forEach((n) => expect(n).toBeGreaterThan(500));

    // Control: an empty page with the report's background must not pass.
    const blank = path.join(dir, 'blank.html');
    fs.writeFileSync(blank, '<!doctype html><html><body style="margin:0;background:#f6f7f9"></body></html>');
    screenshot(blank, path.join(dir, 'blank.png'), dir);
    const control = inkOf(decodePng(fs.readFileSync(path.join(dir, 'blank.png'))), colors);
    expect(looksRendered(control)).toBe(false);
    expect(control.inkFraction).toBeLessThan(0.01);
    expect(looksRendered(ink)).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
