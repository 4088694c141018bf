/**
 * BackupAndRestore against a real crash: a child process training under the callback is killed
 * with SIGKILL after its 2nd finished epoch, started again with the same backup folder, and must
 * end with the same weights (SHA-256) and the same last-epoch logs as a child never interrupted.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const CHILD = path.join(__dirname, 'fixtures', 'backup-child.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-backup-kill-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface ChildRun {
  stdout: string;
  signal: NodeJS.Signals | null;
  code: number | null;
}

/** Runs the child; with killAfter, sends SIGKILL once it has printed that many `epoch` lines. */
function runChild(backupDir: string, epochs: number, killAfter?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CHILD, backupDir, String(epochs)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killAfter !== undefined && (stdout.match(/^epoch \d+$/gm) ?? []).length >= killAfter) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (killAfter === undefined && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ stdout, signal, code });
    });
  });
}

const field = (out: string, name: string): string => {
  const line = out.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no '${name}' line in:\n${out}`);
  return line.slice(name.length + 1);
};

test('a fit killed with SIGKILL resumes after the last finished epoch and ends bit-identical to an uninterrupted fit', async () => {
  const epochs = 6;
  const reference = await runChild('', epochs);
  const backupDir = path.join(tmp, 'backup');
  const killed = await runChild(backupDir, epochs, 2);
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.stdout).not.toMatch(/^weights /m);
  const finished = (killed.stdout.match(/^epoch \d+$/gm) ?? []).length;
  expect(finished).toBeGreaterThanOrEqual(2);
  expect(fs.existsSync(path.join(backupDir, 'latest.keras'))).toBe(true);
  const resumed = await runChild(backupDir, epochs);
  // It went on after the last epoch the killed run finished, not from the start.
  expect(Number(field(resumed.stdout, 'epochs-run'))).toBe(epochs - finished);
  expect(resumed.stdout.split('\n')[0]).toBe(`epoch ${finished + 1}`);
  expect(field(resumed.stdout, 'weights')).toBe(field(reference.stdout, 'weights'));
  expect(JSON.parse(field(resumed.stdout, 'tail'))).toEqual(JSON.parse(field(reference.stdout, 'tail')));
  // Training ended normally: the backup is gone.
  expect(fs.existsSync(backupDir)).toBe(false);
}, 300_000);
