/**
 * First-start data: the Huaihua hierarchy always; demo organisations and
 * accounts only in demo mode. Deterministic, one transaction each.
 */
import { AGENCY_KINDS, type AgencyKind, type OrganisationKind, type Role } from '../../domain/roles.js';
import type { Deps } from '../core/deps.js';
import { newId } from '../core/ids.js';
import { hashPassword } from '../core/passwords.js';
import type { NewUser, OrganisationRow } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { audit } from '../features/audit/audit.service.js';
import { insertOrganisations } from '../features/organisations/organisations.repository.js';
import { countRegions, insertRegions } from '../features/regions/regions.repository.js';
import { insertUsers, newUserRow } from '../features/users/users.repository.js';
import { HUAIHUA, HUAIHUA_COUNTIES, buildHuaihuaNetwork } from './huaihua-network.js';
import { pick, seededRandom } from './random.js';

const VALID_FROM = '2024-01-01';

export async function isSeeded(deps: Deps): Promise<boolean> {
  return (await countRegions(deps.db)) > 0;
}

export async function seedNetwork(deps: Deps): Promise<number> {
  const regions = buildHuaihuaNetwork();
  await inTransaction(deps.db, async (trx) => {
    await insertRegions(
      trx,
      regions.map((r) => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode, valid_from: VALID_FROM, valid_to: null })),
    );
    await audit(trx, deps, null, { action: 'seed.network', regionCode: HUAIHUA.code, details: { regions: regions.length } });
  });
  return regions.length;
}

const AGENCY_NAMES: Record<AgencyKind, [string, string]> = {
  education: ['怀化市教育局', HUAIHUA.code],
  womens_federation: ['怀化市妇女联合会', HUAIHUA.code],
  procuratorate: ['怀化市人民检察院', HUAIHUA.code],
  court: ['怀化市中级人民法院', HUAIHUA.code],
  police: ['怀化市公安局', HUAIHUA.code],
  social_work_station: ['{township}社会工作服务站', '431202001000'],
  counselling: ['怀化市心理健康服务中心', HUAIHUA.code],
  welfare_institution: ['怀化市儿童福利院', HUAIHUA.code],
  protection_centre: ['怀化市未成年人救助保护中心', HUAIHUA.code],
  hr_bureau: ['怀化市人力资源和社会保障局', HUAIHUA.code],
};

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '梁', '宋', '郑', '谢', '唐', '向', '舒', '杨', '田', '龙'];
const GIVEN = ['建', '国', '华', '明', '丽', '芳', '军', '平', '伟', '英', '红', '霞', '勇', '敏', '静', '强', '艳', '娟', '辉', '涛', '琴', '春', '秀', '玲', '兰', '桂', '志', '海', '燕', '文'];

export interface DemoAccount {
  username: string;
  role: Role;
  note: string;
}

/** Demo accounts share one password; they all get the same hash, computed once (scrypt is slow on purpose). */
export async function seedDemoAccounts(deps: Deps): Promise<number> {
  const random = seededRandom(20261129);
  const personName = () => pick(random, SURNAMES) + pick(random, GIVEN) + (random() < 0.6 ? pick(random, GIVEN) : '');
  const passwordHash = await hashPassword(deps.config.demoPassword);
  const now = deps.clock.now().toISOString();
  const network = buildHuaihuaNetwork();
  const townshipName = network.find((r) => r.code === '431202001000')?.name ?? '';

  const orgs: OrganisationRow[] = [];
  const orgOf = (kind: OrganisationKind, name: string, region: string) => {
    const row = { id: newId(), name, kind, region_code: region, created_at: now };
    orgs.push(row);
    return row;
  };
  const users: NewUser[] = [];
  const user = (username: string, role: Role, displayName: string, region: string, organisationId: string | null = null) =>
    users.push(
      // Demo accounts keep the printed demo password; real accounts must change theirs.
      newUserRow({ id: newId(), username, displayName, role, regionCode: region, organisationId, passwordHash, mustChangePassword: false, now }),
    );

  user('sysadmin', 'sysadmin', '系统管理员', HUAIHUA.code);
  user('city-431200', 'city_admin', `${personName()}（市民政局）`, HUAIHUA.code);
  for (const [county, name] of HUAIHUA_COUNTIES) user(`county-${county}`, 'county_admin', `${personName()}（${name}民政局）`, `${county}000000`);
  for (const r of network) {
    if (r.level === 'township') user(`supervisor-${r.code}`, 'supervisor', personName(), r.code);
    if (r.level === 'village') user(`director-${r.code}`, 'director', personName(), r.code);
  }
  for (const kind of AGENCY_KINDS) {
    const [template, region] = AGENCY_NAMES[kind];
    const name = template.replace('{township}', townshipName);
    const org = orgOf(kind, name, region);
    user(`agency-${kind}`, 'agency', `${personName()}（${name}）`, region, org.id);
  }
  const school = orgOf('school', `${townshipName.replace(/街道|镇|乡$/, '')}学校`, '431202001000');
  user('school-demo', 'school', `${personName()}（班主任）`, school.region_code, school.id);
  const volunteers = orgOf('volunteer_team', '怀化市青年志愿者协会', HUAIHUA.code);
  user('volunteer-demo', 'volunteer', personName(), volunteers.region_code, volunteers.id);

  await inTransaction(deps.db, async (trx) => {
    await insertOrganisations(trx, orgs);
    await insertUsers(trx, users);
    await audit(trx, deps, null, { action: 'seed.demo_accounts', regionCode: HUAIHUA.code, details: { users: users.length, organisations: orgs.length } });
  });
  return users.length;
}

/** Lines printed at start so that anyone can try each role. */
export function demoAccountTable(password: string): string {
  const rows = [
    ['village director 儿童主任', 'director-431202001201', 'director-<12-digit village code>'],
    ['township supervisor 督导员', 'supervisor-431202001000', 'supervisor-<12-digit township code>'],
    ['county admin 县民政', 'county-431202', 'county-<6-digit county code>'],
    ['city admin 市民政', 'city-431200', ''],
    ['agency 合作机构', 'agency-police', `agency-<kind>: ${AGENCY_KINDS.join(', ')}`],
    ['school contact 学校', 'school-demo', ''],
    ['volunteer 志愿者', 'volunteer-demo', ''],
    ['system admin 系统管理员', 'sysadmin', ''],
  ];
  return [
    `Demo accounts (password: ${password})`,
    ...rows.map(([role, example, pattern]) => `  ${role!.padEnd(28)} ${example!.padEnd(26)} ${pattern}`),
  ].join('\n');
}
