import path from 'node:path';
import { z } from 'zod';

const masterKey = z.string().refine((v) => Buffer.from(v.trim(), 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)');

/** Everything the server reads from its environment, validated once at start. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  HOLDSPACE_DATA_DIR: z.string().default('./data'),
  /** Minutes of inactivity after which a sign-in session ends. */
  HOLDSPACE_IDLE_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Public address used in invite links; defaults to the listening address. */
  HOLDSPACE_PUBLIC_URL: z.string().url().optional(),
  HOLDSPACE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Mark cookies Secure (set behind HTTPS). */
  HOLDSPACE_SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  HOLDSPACE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Master key for encryption at rest (base64, 32 bytes); without it, one is kept in the data folder. */
  HOLDSPACE_MASTER_KEY: masterKey.optional(),
  /** The old master key while `holdspace keys rotate` re-wraps the data keys. */
  HOLDSPACE_MASTER_KEY_PREVIOUS: masterKey.optional(),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  idleTimeoutMinutes: number;
  publicUrl: string | undefined;
  poolSize: number;
  secureCookies: boolean;
  logLevel: string;
  masterKey: string | undefined;
  previousMasterKey: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Holdspace configuration is invalid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.HOLDSPACE_DATA_DIR),
    idleTimeoutMinutes: e.HOLDSPACE_IDLE_TIMEOUT_MINUTES,
    publicUrl: e.HOLDSPACE_PUBLIC_URL,
    poolSize: e.HOLDSPACE_DB_POOL_SIZE,
    secureCookies: e.HOLDSPACE_SECURE_COOKIES === 'true',
    logLevel: e.HOLDSPACE_LOG_LEVEL,
    masterKey: e.HOLDSPACE_MASTER_KEY,
    previousMasterKey: e.HOLDSPACE_MASTER_KEY_PREVIOUS,
  };
}
