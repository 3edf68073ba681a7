/** The coverage feature's words in Simplified Chinese, the reference: strings.en-US.ts must hold exactly these keys. */
export const zhCN = {
  'coverage.title': '人员覆盖',
  'coverage.tab.regions': '按区划统计',
  'coverage.tab.gaps': '缺岗清单',
  'coverage.col.region': '区划',
  'coverage.col.townships': '乡镇（街道）',
  'coverage.col.townshipsWithoutSupervisor': '无督导员乡镇',
  'coverage.col.villages': '村（社区）',
  'coverage.col.villagesWithoutDirector': '无儿童主任村',
  'coverage.col.supervisors': '督导员',
  'coverage.col.directors': '儿童主任',
  'coverage.totals': '合计',
  'coverage.drillHint': '点击一行查看其下级区划。',
  'coverage.gap.villages': '无儿童主任的村（社区）',
  'coverage.gap.townships': '无督导员的乡镇（街道）',
  'coverage.noGaps': '没有缺岗：所有区划都已配备人员',
  'coverage.noRows': '没有下级区划',
} satisfies Record<string, string>;

export type Key = keyof typeof zhCN;
