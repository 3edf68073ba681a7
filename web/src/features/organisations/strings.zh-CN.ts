/** The organisations feature's words in Simplified Chinese, the reference: strings.en-US.ts must hold exactly these keys. */
export const zhCN = {
  'organisations.title': '机构管理',
  'organisations.create': '新建机构',
  'organisations.searchPlaceholder': '搜索机构名称',
  'organisations.empty': '没有符合条件的机构',
  'organisations.filter.kind': '按类型筛选',
  'organisations.col.name': '机构名称',
  'organisations.col.kind': '类型',
  'organisations.col.region': '所在区划',
  'organisations.col.userCount': '账号数',
  'organisations.form.name': '机构名称',
  'organisations.form.nameRequired': '请输入机构名称（至少 2 个字）',
  'organisations.form.kind': '类型',
  'organisations.form.kindRequired': '请选择类型',
  'organisations.form.region': '所在区划',
  'organisations.form.regionRequired': '请选择区划',
  'organisations.created': '机构已创建',
} satisfies Record<string, string>;

export type Key = keyof typeof zhCN;
