/** The transfer-requests feature's words in Simplified Chinese, the reference: strings.en-US.ts must hold exactly these keys. */
export const zhCN = {
  'transfer.incomingTitle': '转入申请（待处理）',
  'transfer.incomingIntro': '其他地区申请把以下儿童转到他们那里：核实后转入，或说明理由不同意。',
  'transfer.outgoingTitle': '我的转入申请',
  'transfer.askedName': '申请人所填姓名：{name}',
  'transfer.to': '转到：{place}',
  'transfer.askedBy': '{name} 于 {time} 申请',
  'transfer.accept': '同意转入',
  'transfer.acceptConfirm': '把 {name} 的档案及全部记录转到 {place}？转出后本地将不再能查看。',
  'transfer.accepted': '已转出',
  'transfer.decline': '不同意',
  'transfer.declineReason': '不同意的理由（对方可见）',
  'transfer.declineRequired': '请说明理由（至少 2 个字）',
  'transfer.declined': '已回复不同意',
  'transfer.state.open': '等待对方处理',
  'transfer.state.transferred': '已转入',
  'transfer.state.declined': '未同意',
  'transfer.reason': '理由：{reason}',
  'transfer.openFile': '打开档案',
  'transfer.noDecide': '由乡镇（街道）或区县办理',
} satisfies Record<string, string>;

export type Key = keyof typeof zhCN;
