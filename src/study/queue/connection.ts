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
