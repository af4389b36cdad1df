import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.ts';
import { JobQueue } from './jobs.ts';

describe('JobQueue.workContinuously', async () => {
  const { url } = await createTestDatabase();
  const jobs = new JobQueue(url);
  await jobs.start();
  afterAll(() => jobs.stop());

  it('drains a backlog without waiting out the polling interval between jobs, then idles at the interval', async () => {
    await jobs.ensureQueue('test-backlog', { policy: 'standard' });
    for (let i = 0; i < 4; i++) await jobs.boss.send('test-backlog', { i });
    const handled: number[] = [];
    const drained = new Promise<void>((resolve) => {
      void jobs.workContinuously<{ i: number }>('test-backlog', { pollingIntervalSeconds: 60, batchSize: 1 }, async ([job]) => {
        if (!job) return;
        handled.push(job.data.i);
        if (handled.length === 4) resolve();
      });
    });
    // pg-boss alone would wait 60 s between these four fetches: four minutes. Here they are taken one after another.
    const outcome = await Promise.race([drained.then(() => 'drained'), new Promise((resolve) => setTimeout(() => resolve('stuck'), 30_000))]);
    expect(outcome).toBe('drained');
    expect(handled.sort()).toEqual([0, 1, 2, 3]);
    // Once the queue is empty the worker waits its interval: a job sent after its last (empty) fetch waits too.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await jobs.boss.send('test-backlog', { i: 4 });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(handled).toHaveLength(4);
  }, 60_000);
});
