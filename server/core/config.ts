import os from 'node:os';
import path from 'node:path';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Demo mode seeds demo accounts; off with SHOUHU_DEMO=0 or NODE_ENV=production. */
  demo: boolean;
  demoPassword: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** Wrong passwords from one address that lock that address out of the account. */
  loginMaxFailures: number;
  /** Wrong passwords from all addresses together that lock the account for everyone. */
  loginAccountMaxFailures: number;
  loginLockMinutes: number;
  /** Sign-in attempts per minute from one client address. */
  loginRatePerAddress: number;
  /** Sign-in attempts per minute from all addresses together. */
  loginRateGlobal: number;
  /** Duplicate checks (POST /api/children/duplicates) per minute and signed-in user. */
  duplicateCheckRate: number;
  /** Builder threads of a roster import (each reads the file and checks and builds every n-th chunk; each holds the read file in memory). */
  importBuilders: number;
  /** Set the Secure flag on cookies (behind HTTPS); also turns on HSTS. */
  secureCookies: boolean;
  /**
   * The reverse proxies whose X-Forwarded-* headers are believed (addresses, CIDR ranges or
   * proxy-addr names); false: none. TRUST_PROXY=1 means a proxy on this host ('loopback').
   */
  trustProxy: string[] | false;
  /** Bearer token for GET /metrics; without one, /metrics answers only to the host itself. */
  metricsToken: string | undefined;
  /** Serve /api/docs and /api/openapi.json (to signed-in staff); off in production unless API_DOCS=1. */
  apiDocs: boolean;
  logLevel: string;
}

const int = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) ? n : fallback;
};

function trustedProxies(value: string | undefined): string[] | false {
  if (!value || value === '0') return false;
  if (value === '1') return ['loopback'];
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  return {
    port: int(env.PORT, 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.SHOUHU_DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    demo: env.SHOUHU_DEMO !== undefined ? env.SHOUHU_DEMO !== '0' : !production,
    demoPassword: env.DEMO_PASSWORD || 'demo1234',
    sessionIdleMinutes: int(env.SESSION_IDLE_MINUTES, 60),
    sessionMaxHours: int(env.SESSION_MAX_HOURS, 12),
    loginMaxFailures: int(env.LOGIN_MAX_FAILURES, 5),
    loginAccountMaxFailures: int(env.LOGIN_ACCOUNT_MAX_FAILURES, 50),
    loginLockMinutes: int(env.LOGIN_LOCK_MINUTES, 15),
    loginRatePerAddress: int(env.LOGIN_RATE_PER_ADDRESS, 10),
    loginRateGlobal: int(env.LOGIN_RATE_GLOBAL, 300),
    duplicateCheckRate: int(env.DUPLICATE_CHECK_RATE, 30),
    // One core is the import's writer's; the others build, at most two (each holds the file read).
    importBuilders: Math.max(1, Math.min(8, int(env.IMPORT_BUILDERS, Math.min(2, os.availableParallelism() - 1)))),
    secureCookies: env.SECURE_COOKIES === '1',
    trustProxy: trustedProxies(env.TRUST_PROXY),
    metricsToken: env.METRICS_TOKEN || undefined,
    apiDocs: env.API_DOCS !== undefined && env.API_DOCS !== '' ? env.API_DOCS === '1' : !production,
    logLevel: env.LOG_LEVEL ?? (production ? 'info' : 'info'),
  };
}
