/** The audit feature's words in Simplified Chinese, the reference: strings.en-US.ts must hold exactly these keys. */
export const zhCN = {
  'audit.title': '审计日志',
  'audit.searchPlaceholder': '搜索操作人、对象编号',
  'audit.empty': '没有符合条件的记录',
  'audit.filter.action': '按操作类型筛选',
  'audit.col.at': '时间（北京时间）',
  'audit.col.actor': '操作人',
  'audit.col.action': '操作',
  'audit.col.target': '对象',
  'audit.col.region': '区划代码',
  'audit.col.ip': '来源 IP',
  'audit.seq': '序号',
  'audit.requestId': '请求编号',
  'audit.details': '详情',
  'audit.col.child': '儿童',
  'audit.outOfScope': '（范围外）',
  'audit.showDetails': '查看详情',
  'audit.hideDetails': '收起详情',
  'audit.export': '导出 Excel',
  'audit.exported': '已导出（导出操作本身也记入审计日志）',
  'audit.filter.from': '开始日期',
  'audit.filter.to': '结束日期',
  'audit.note': '日期按北京时间计算。儿童姓名只对现在有权查看该儿童的人显示；已转出辖区的儿童显示为“（范围外）”。',
  'audit.system': '系统',
} satisfies Record<string, string>;

export type Key = keyof typeof zhCN;
