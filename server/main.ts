/** `npm start`: build the web app if needed, open and prepare the database, serve API and web. */
import { buildApp } from './app.js';
import { depsOf, openFromConfig, prepareDatabase, sqliteFileOf } from './bootstrap.js';
import { loadConfig } from './core/config.js';
import { StartupRefusal } from './core/errors.js';
import { refreshPlannerStatisticsInWorker } from './db/statistics.js';
import { anchorAuditHead } from './features/audit/audit.service.js';
import { rederiveCategories } from './features/children/child-rederive.js';
import { demoAccountTable } from './seed/seed.js';
import { ensureWebBuilt } from './web-build.js';

const config = loadConfig();
const say = (msg: string) => console.log(msg);

if (process.env.SHOUHU_SKIP_WEB_BUILD !== '1') await ensureWebBuilt(say);

const handle = openFromConfig(config);
const deps = depsOf(handle, config);
const prepared = await prepareDatabase(deps).catch(async (error: unknown) => {
  if (!(error instanceof StartupRefusal)) throw error;
  // Another key, no key for sealed data, a broken audit log: say what to do, and do nothing else.
  console.error(`\nShouhu 守护 will not start.\n${error.message}\n`);
  await handle.close();
  process.exit(1);
});
if (prepared.seeded) {
  say(`First start: seeded ${prepared.seeded.regions} regions of the Huaihua network and ${prepared.seeded.accounts} demo accounts.`);
}

const app = await buildApp(deps, {
  logger: {
    level: config.logLevel,
    // Paths only: query strings can carry names being searched, and minors' data never goes to logs.
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
    },
  },
});

// Categories move with time (absence reaching six months, a 16th birthday): re-derive daily.
const rederive = () =>
  rederiveCategories(deps)
    .then((r) => app.log.info({ checked: r.checked, changed: r.changed }, 'categories re-derived'))
    .catch((err: unknown) => app.log.error({ err }, 'category re-derivation failed'));
// The head of the audit chain goes to the anchors file and to this log: outside the database.
const anchor = () =>
  anchorAuditHead(deps)
    .then((r) => {
      if (r.state === 'anchored') app.log.info({ auditAnchor: { seq: r.anchor.seq, hash: r.anchor.hash, file: r.file } }, 'audit chain head anchored');
      else if (r.state === 'refused') app.log.error({ reason: r.reason }, 'audit chain head NOT anchored');
    })
    .catch((err: unknown) => app.log.error({ err }, 'audit anchoring failed'));
// The query planner's statistics (server/db/statistics.ts): at start, then daily; usually a no-op. Not awaited before
// listening: the first start on a large file without statistics analyses it (7 s at 1,000,000 children).
const statistics = (when: 'start' | 'daily') => {
  const t0 = performance.now();
  // In a worker thread when there is anything to analyse (seconds on a large file never analysed).
  return refreshPlannerStatisticsInWorker(deps)
    .then((analysed) => app.log.info({ when, analysed, ms: Math.round(performance.now() - t0) }, 'planner statistics refreshed'))
    .catch((err: unknown) => app.log.error({ err }, 'planner statistics refresh failed'));
};
const daily = setInterval(() => {
  void rederive();
  void anchor();
  void statistics('daily');
}, 24 * 3600 * 1000);
daily.unref();

const close = async () => {
  clearInterval(daily);
  await app.close();
  await handle.close();
  process.exit(0);
};
process.on('SIGINT', () => void close());
process.on('SIGTERM', () => void close());

await app.listen({ port: config.port, host: config.host });
void statistics('start');
void rederive();
void anchor();
say('');
say(`Shouhu 守护 is running: http://localhost:${config.port}`);
say(`Database: ${handle.dialect === 'sqlite' ? sqliteFileOf(config) : 'PostgreSQL (DATABASE_URL)'}`);
if (config.apiDocs) say(`API docs (signed-in staff): http://localhost:${config.port}/api/docs`);
if (config.demo) say(demoAccountTable(config.demoPassword));
else say('Production mode: no demo accounts. Create the first administrator with `npm run cli -- create-user`.');
