/** Test helpers: roster files built in memory, multipart uploads, polling a job. */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { computeCheckCharacter } from '../../../domain/children/id-number.js';
import type { ImportJobStatus } from '../../../domain/children/import.js';
import type { Session } from '../../test/harness.js';
import { IMPORT_COLUMNS } from './import-columns.js';

export type CellValue = string | number | boolean | Date | { formula: string; result?: unknown } | null | undefined;
export type RosterRow = Record<string, CellValue>;

/** An ID number with a valid check character; address code 110101 keeps it apart from the demo population. */
export const testId = (birth: string, seq: number, sex: 'male' | 'female' = 'male') => {
  const s = seq % 500;
  const odd = 2 * s + (sex === 'male' ? 1 : 0);
  const first17 = `110101${birth.replaceAll('-', '')}${String(odd).padStart(3, '0')}`;
  return first17 + computeCheckCharacter(first17);
};

export function rosterRow(overrides: RosterRow = {}): RosterRow {
  return {
    姓名: '刘小雨',
    性别: '女',
    民族: '苗族',
    出生日期: '2016-05-20',
    身份证号: testId('2016-05-20', 7, 'female'),
    户籍类型: '农村',
    '村（社区）代码': '431202001201',
    父亲姓名: '刘大江',
    父亲状态: '外出务工',
    父亲状态起始日期: '2023-03-01',
    父亲务工省份: '广东省',
    父亲务工城市: '深圳市',
    母亲姓名: '吴小芳',
    母亲状态: '外出务工',
    母亲状态起始日期: '2023-03-01',
    母亲务工省份: '浙江省',
    母亲务工城市: '义乌市',
    监护人类型: '祖父母',
    监护人姓名: '刘奶奶',
    监护能力: '一般',
    就学状态: '在校',
    学校: '青西小学',
    年级: '四年级',
    健康状况: '健康',
    低保: '否',
    ...overrides,
  };
}

/** Writes rows under the template's headers (or `headers`), streaming: 50,000 rows take a few seconds. */
export async function buildRoster(rows: RosterRow[], headers: string[] = IMPORT_COLUMNS.map((c) => c.header)): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  const ws = wb.addWorksheet('儿童信息');
  ws.addRow(headers).commit();
  for (const r of rows) ws.addRow(headers.map((h) => r[h] ?? null)).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

export function multipart(fileName: string, content: Buffer): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----shouhu${Date.now().toString(16)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
  );
  return { body: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function upload(session: Session, content: Buffer, options: { dryRun: boolean; fileName?: string }): Promise<{ status: number; jobId: string | null; body: string }> {
  const { body, headers } = multipart(options.fileName ?? 'roster.xlsx', content);
  const res = await session.request('POST', `/api/children/import?dryRun=${options.dryRun}`, body, headers);
  return { status: res.status, jobId: res.status === 202 ? (res.json() as { jobId: string }).jobId : null, body: res.body };
}

export async function waitForJob(session: Session, jobId: string, timeoutMs = 120_000): Promise<ImportJobStatus> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await session.request('GET', `/api/children/import/${jobId}`);
    if (res.status !== 200) throw new Error(`job ${jobId}: ${res.status} ${res.body}`);
    const status = res.json() as ImportJobStatus;
    if (status.state !== 'running') return status;
    if (Date.now() > until) throw new Error(`job ${jobId} still running`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
