/** Test data for mandatory reports, shared by the feature tests and the access-matrix walker. */
import type { ReportInput } from '../../../domain/reports/schema.js';

/** A report discovered half an hour before the harness's clock (2026-11-29T02:00Z), police not yet told. */
export function reportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    triggers: ['injury_malnutrition_abuse'],
    discoveredAt: '2026-11-29T01:30:00.000Z',
    reporterName: '张报告',
    reporterPhone: '13800000000',
    reporterUnit: '青西村儿童之家',
    description: '手臂多处淤青，疑似被殴打',
    ...overrides,
  };
}
