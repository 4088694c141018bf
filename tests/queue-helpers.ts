/**
 * A private redis-server for the queue tests (a free loopback port, a temp dir, no persistence) and
 * `keras-ts worker` / `keras-ts compare` processes started from the sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
export { waitFor };

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export interface TestRedis {
  url: string;
  dir: string;
  /** Stops the server (its data is gone: nothing is saved) and starts a fresh one on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** A self-signed certificate for 127.0.0.1 (key.pem, cert.pem in `dir`), the CA of a TLS Redis. */
function makeCertificate(dir: string): void {
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr.toString()}`);
}

/** With `secure`, Redis takes TLS only (rediss://) and wants that password; `url` carries it, `ca` is the certificate to trust. */
export async function startRedis(secure?: { password: string }): Promise<TestRedis & { ca?: string }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-redis-'));
  if (secure) makeCertificate(dir);
  const listen = secure
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', path.join(dir, 'cert.pem'), '--tls-key-file', path.join(dir, 'key.pem'),
      '--tls-ca-cert-file', path.join(dir, 'cert.pem'), '--tls-auth-clients', 'no', '--requirepass', secure.password]
    : ['--port', String(port)];
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn('redis-server', [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    await waitFor(() => new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    }), 'redis-server');
  };
  const stop = async () => {
    if (server === undefined) return;
    const s = server;
    server = undefined;
    s.kill('SIGKILL');
    await exited(s);
  };
  await start();
  return {
    url: secure ? `rediss://:${secure.password}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    ...(secure ? { ca: path.join(dir, 'cert.pem') } : {}),
    dir,
    restart: async () => { await stop(); await start(); },
    stop: async () => { await stop(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

const ROOT = path.join(__dirname, '..');
const CLI = ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src/cli/main.ts')];

/** A CLI process; `output()` is what it printed so far. */
export interface CliProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function cli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  return { child, output: () => text, exited: exited(child) };
}

/**
 * A `keras-ts worker` with one trial at a time and a short lock (a killed worker's job is rerun
 * within seconds; long enough that a loaded CI machine still renews it), ready once it watches the queue.
 */
export async function startWorker(url: string, env: NodeJS.ProcessEnv = {}): Promise<CliProcess> {
  const worker = cli(['worker', '--queue', url, '--concurrency', '1', '--lock-duration', '4000'], env);
  await waitFor(() => worker.output().includes('watching') || worker.child.exitCode !== null, 'a worker to start', 120_000);
  if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.output()}`);
  return worker;
}

export async function stopProcess(p: CliProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}
