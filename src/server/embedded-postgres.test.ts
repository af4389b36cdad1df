import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePostmasterPid, runningEmbeddedDatabaseUrl, sharedBuffersMb } from './embedded-postgres.ts';

/** A postmaster.pid as PostgreSQL writes it (src/backend/utils/init/miscinit.c): 8 lines. */
const postmasterPid = (pid: number, port: number, status: string, listen = '127.0.0.1') =>
  `${pid}\n/srv/holdspace/data/postgres\n1763800000\n${port}\n\n${listen}\n  5432001    131072\n${status}\n`;

describe('finding the embedded PostgreSQL a running Holdspace owns (for `holdspace keys rotate` beside it)', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

  async function dataFolder(files: Record<string, string>): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'holdspace-pgpid-'));
    dirs.push(dir);
    await fs.mkdir(path.join(dir, 'postgres'));
    for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
    return dir;
  }

  it('reads the port, listen address and status from postmaster.pid', () => {
    expect(parsePostmasterPid(postmasterPid(4242, 40123, 'ready   '))).toEqual({ pid: 4242, port: 40123, host: '127.0.0.1', ready: true });
    expect(parsePostmasterPid(postmasterPid(4242, 40123, 'starting'))).toMatchObject({ ready: false });
    expect(parsePostmasterPid(postmasterPid(4242, 40123, 'ready', '*'))).toMatchObject({ host: '127.0.0.1' });
    expect(parsePostmasterPid(postmasterPid(4242, 40123, 'ready', '::'))).toMatchObject({ host: '::1' });
    expect(parsePostmasterPid('4242\n/srv/data\n')).toBeNull(); // written before the port line
    expect(parsePostmasterPid('')).toBeNull();
  });

  it('gives the URL of the running server\'s database: its port, its password, on the folder whose lock a live process holds', async () => {
    // This test process plays the running Holdspace (a live node process) and its postmaster.
    const dir = await dataFolder({
      'holdspace.lock': String(process.pid),
      'database.json': JSON.stringify({ password: 'p@ss/word' }),
      'postgres/postmaster.pid': postmasterPid(process.pid, 40123, 'ready'),
    });
    expect(await runningEmbeddedDatabaseUrl(dir)).toBe('postgres://holdspace:p%40ss%2Fword@127.0.0.1:40123/holdspace');
  });

  it('is null when no live Holdspace holds the folder (the command then starts its own)', async () => {
    expect(await runningEmbeddedDatabaseUrl(await dataFolder({}))).toBeNull();
    // A lock left by a process that died (kill -9), with its postmaster.pid.
    const dead = 2 ** 22 + 12345; // above the default pid_max
    expect(await runningEmbeddedDatabaseUrl(await dataFolder({
      'holdspace.lock': String(dead), 'postgres/postmaster.pid': postmasterPid(process.pid, 40123, 'ready'),
    }))).toBeNull();
  });

  it('refuses, with a clear message, while the server\'s PostgreSQL is not ready or not running', async () => {
    const starting = await dataFolder({
      'holdspace.lock': String(process.pid), 'database.json': '{"password":"x"}', 'postgres/postmaster.pid': postmasterPid(process.pid, 40123, 'starting'),
    });
    await expect(runningEmbeddedDatabaseUrl(starting)).rejects.toThrow(`Holdspace (process ${process.pid}) is starting or stopping on the data folder ${starting}: its database is not ready`);
    const none = await dataFolder({ 'holdspace.lock': String(process.pid), 'database.json': '{"password":"x"}' });
    await expect(runningEmbeddedDatabaseUrl(none)).rejects.toThrow(/its database is not ready/);
  });
});

describe('the embedded PostgreSQL cache', () => {
  it('takes a quarter of memory, at least 128 MB and at most 2 GB', () => {
    const gib = 1024 ** 3;
    expect(sharedBuffersMb(256 * 1024 ** 2)).toBe(128);
    expect(sharedBuffersMb(4 * gib)).toBe(1024);
    expect(sharedBuffersMb(24 * gib)).toBe(2048);
  });
});
