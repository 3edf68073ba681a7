/** `npm start`: build the web app if needed, open and prepare the database, serve API and web. */
import { buildApp } from './app.js';
import { depsOf, openFromConfig, prepareDatabase, sqliteFileOf } from './bootstrap.js';
import { loadConfig } from './core/config.js';
import { rederiveCategories } from './features/children/children.service.js';
import { demoAccountTable } from './seed/seed.js';
import { ensureWebBuilt } from './web-build.js';

const config = loadConfig();
const say = (msg: string) => console.log(msg);

if (process.env.SHOUHU_SKIP_WEB_BUILD !== '1') await ensureWebBuilt(say);

const handle = openFromConfig(config);
const deps = depsOf(handle, config);
const prepared = await prepareDatabase(deps);
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
const daily = setInterval(() => void rederive(), 24 * 3600 * 1000);
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
void rederive();
say('');
say(`Shouhu 守护 is running: http://localhost:${config.port}`);
say(`Database: ${handle.dialect === 'sqlite' ? sqliteFileOf(config) : 'PostgreSQL (DATABASE_URL)'}`);
if (config.apiDocs) say(`API docs (signed-in staff): http://localhost:${config.port}/api/docs`);
if (config.demo) say(demoAccountTable(config.demoPassword));
else say('Production mode: no demo accounts. Create the first administrator with `npm run cli -- create-user`.');
