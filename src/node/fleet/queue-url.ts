// A fleet's queue, named by one URL: redis[s]://[[user]:password@]host[:port][/db]/queue-name
// [?prefix=P]. The producer and every worker parse the same URL, so they meet on the same
// Redis keys. The password never goes into a log line: redactQueueUrl is what gets printed.
import type { RedisOptions } from 'bullmq';

export interface QueueTarget {
  /** ioredis options (BullMQ passes them on). */
  connection: RedisOptions;
  /** The BullMQ queue's name. */
  name: string;
  /** BullMQ's key prefix (its default, 'bull', unless ?prefix= says otherwise). */
  prefix: string;
  /** The URL with its password replaced by "***": safe to print. */
  display: string;
}

export class QueueUrlError extends Error {}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function parseQueueUrl(text: string): QueueTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueUrlError(`--queue must be a URL like redis://host:6379/queue-name (got ${JSON.stringify(redactQueueUrl(text))})`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new QueueUrlError(`--queue must be a redis:// or rediss:// URL (got ${url.protocol}//...)`);
  }
  if (url.hostname === '') throw new QueueUrlError('--queue needs a host: redis://host:6379/queue-name');
  const parts = url.pathname.split('/').filter((part) => part !== '');
  let db = 0;
  if (parts.length === 2) {
    db = Number(parts[0]);
    if (!/^\d+$/.test(parts[0]!) || db > 15) throw new QueueUrlError(`--queue: ${JSON.stringify(parts[0])} is not a Redis database number (0-15)`);
  } else if (parts.length !== 1) {
    throw new QueueUrlError('--queue needs a queue name as its path: redis://host:6379/queue-name (or redis://host:6379/DB/queue-name)');
  }
  const name = decodeURIComponent(parts.at(-1)!);
  if (!NAME.test(name)) throw new QueueUrlError(`--queue: the queue name must be letters, digits, '.', '_' or '-' (got ${JSON.stringify(name)})`);
  const prefix = url.searchParams.get('prefix') ?? 'bull';
  if (!NAME.test(prefix)) throw new QueueUrlError(`--queue: ?prefix= must be letters, digits, '.', '_' or '-' (got ${JSON.stringify(prefix)})`);
  const connection: RedisOptions = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 6379 : Number(url.port),
    db,
    // BullMQ's workers block on Redis; ioredis must keep retrying rather than fail a command
    // after a few reconnects (a failover takes seconds).
    maxRetriesPerRequest: null,
  };
  if (url.username !== '') connection.username = decodeURIComponent(url.username);
  if (url.password !== '') connection.password = decodeURIComponent(url.password);
  if (url.protocol === 'rediss:') connection.tls = {};
  return { connection, name, prefix, display: redactQueueUrl(text) };
}

/** The URL with any password replaced by "***" (also for text that is not a valid URL). */
export function redactQueueUrl(text: string): string {
  // Up to the last '@': a password with an unencoded '@' or '/' is still hidden whole.
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):.*@/i, '$1:***@');
}
