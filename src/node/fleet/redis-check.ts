// A first look at the queue's Redis before anything starts: a wrong password, a wrong host or
// a Redis too old for BullMQ is said once, clearly, instead of as an endless stream of
// reconnect errors. (Later outages, a failover, are waited out: the clients retry forever.)
import { Redis } from 'ioredis';
import type { QueueTarget } from './queue-url';

export class RedisUnavailable extends Error {}

export async function checkRedis(target: QueueTarget, timeoutMs = 10_000): Promise<void> {
  const client = new Redis({ ...target.connection, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // connect() rejects with "Connection is closed"; the reason (WRONGPASS, ECONNREFUSED) comes as an event.
  let reason: Error | undefined;
  client.on('error', (error: Error) => (reason ??= error));
  try {
    await client.connect();
    const info = await client.info('server');
    const version = /redis_version:(\d+)\.(\d+)/.exec(info);
    if (version && (Number(version[1]) < 6 || (Number(version[1]) === 6 && Number(version[2]) < 2))) {
      throw new RedisUnavailable(`${target.display} runs Redis ${version[1]}.${version[2]}; BullMQ needs 6.2 or later`);
    }
  } catch (error) {
    if (error instanceof RedisUnavailable) throw error;
    throw new RedisUnavailable(`cannot use Redis at ${target.display}: ${(reason ?? (error as Error)).message}`);
  } finally {
    client.disconnect();
  }
}

/** An error handler that prints a message once until a different one comes (reconnects repeat them). */
export function onceEach(print: (message: string) => void): (error: Error) => void {
  let last = '';
  return (error) => {
    if (error.message === last) return;
    last = error.message;
    print(error.message);
  };
}
