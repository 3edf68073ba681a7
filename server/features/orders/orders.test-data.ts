/** Test data for orders and state guardianship, shared by the feature tests and the access-matrix walker. */
import type { OrderInput } from '../../../domain/orders/schema.js';

/** A supervision order issued the day before the harness's clock (2026-11-29), the procuratorate typed in. */
export function supervisionInput(overrides: Partial<Extract<OrderInput, { kind: 'supervision' }>> = {}): OrderInput {
  return {
    kind: 'supervision',
    issuerName: '鹤城区人民检察院',
    orderNo: '鹤检督监〔2026〕3号',
    issuedOn: '2026-11-28',
    addressee: 'father',
    addresseeName: '李大山',
    content: '每周与孩子视频通话不少于两次，每月汇款生活费，寒假回家陪伴',
    ...overrides,
  };
}

export function guidanceInput(overrides: Partial<Extract<OrderInput, { kind: 'education_guidance' }>> = {}): OrderInput {
  return { kind: 'education_guidance', issuerKind: 'womens_federation', issuerName: '鹤城区妇联', issuedOn: '2026-11-01', addressee: 'mother', addresseeName: '王小花', plannedSessions: 4, ...overrides };
}

export function temporaryGuardianshipInput(overrides: Partial<Extract<OrderInput, { kind: 'temporary_guardianship' }>> = {}): OrderInput {
  return { kind: 'temporary_guardianship', startedOn: '2026-11-20', placement: 'protection_centre', placementName: '怀化市未成年人救助保护中心', ground: 'guardian_neglect', assessment: '祖母住院，无人照料', ...overrides };
}

export function revocationInput(overrides: Partial<Extract<OrderInput, { kind: 'revocation' }>> = {}): OrderInput {
  return { kind: 'revocation', issuerName: '鹤城区人民法院', petitioner: '鹤城区民政局', filedOn: '2026-11-10', hearingOn: '2026-12-10', ...overrides };
}
