/**
 * Redis connections of a queue study. `--queue redis://[user:password@]host:port[/db]` (or
 * `rediss://` for TLS) names the Redis that holds the BullMQ queues; every connection retries for
 * ever, so a restarted Redis is reconnected to and commands wait for it rather than fail.
 */
import { Redis } from 'ioredis';
import { ConfigError, describe } from '../../errors';

/** Every key keras-ts writes starts with this prefix (BullMQ's `prefix` option). */
export const QUEUE_PREFIX = 'keras-ts';

/** Checks a queue URL; throws a ConfigError naming what is wrong. */
export function checkQueueUrl(url: unknown, what = '`queue`'): string {
  let parsed: URL | undefined;
  if (typeof url === 'string') {
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
  }
  if (parsed === undefined || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
    throw new ConfigError(`Invalid ${what}: expected a Redis URL such as redis://127.0.0.1:6379 or rediss://user:password@host:6380/0. Received: ${describe(redact(url))}`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new ConfigError(`Invalid ${what}: the database after the port must be a number (redis://host:port/0). Received: ${describe(redact(url))}`);
  return url as string;
}

/** The URL without its password, for messages. */
export function redact(url: unknown): unknown {
  if (typeof url !== 'string') return url;
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** A connection BullMQ can block on (`maxRetriesPerRequest: null`), reconnecting without end. */
export function connect(url: string): Redis {
  return new Redis(checkQueueUrl(url), {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(200 * times, 2000),
  });
}

/**
 * The first contact with Redis, bounded: a connection retries for ever (so a Redis restart is
 * ridden out), but a URL that never worked — wrong port, plain redis:// to a TLS port, a
 * certificate this machine does not trust — is reported after `timeoutMs` with Redis' last error,
 * instead of waiting silently. A wrong password fails at once.
 */
export async function firstContact(connection: Redis, url: string, timeoutMs = 10_000): Promise<void> {
  let last = '';
  const remember = (error: Error) => (last = error.message);
  connection.on('error', remember);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      connection.ping(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(last || 'no answer')), timeoutMs))),
    ]);
  } catch (error) {
    const reason = (error as Error).message;
    const hint = /certificate|self.signed|unable to verify/i.test(reason)
      ? ' The server\'s TLS certificate is not trusted here: point NODE_EXTRA_CA_CERTS at the file of the CA that signed it.'
      : /ECONNRESET|wrong version|packet length/i.test(reason) && url.startsWith('redis:')
        ? ' If that port speaks TLS, use rediss:// instead of redis://.'
        : '';
    throw new ConfigError(`Cannot reach Redis at ${String(redact(url))}${reason.startsWith('WRONGPASS') || reason.startsWith('NOAUTH') ? '' : ` within ${timeoutMs / 1000} s`}: ${reason}.${hint}`);
  } finally {
    clearTimeout(timer);
    connection.off('error', remember);
  }
}
