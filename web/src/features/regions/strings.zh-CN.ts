/** The regions feature's words in Simplified Chinese, the reference: strings.en-US.ts must hold exactly these keys. */
export const zhCN = {
  'regions.title': '行政区划',
  'regions.searchPlaceholder': '按名称或 12 位代码搜索',
  'regions.noMatch': '没有匹配的区划',
  'regions.selectHint': '在区划树中选择一个区划查看详情',
  'regions.detail': '区划详情',
  'regions.validFrom': '生效日期',
  'regions.validTo': '失效日期',
  'regions.stillValid': '现行有效',
  'regions.childCount': '下级区划数',
  'regions.counts': '辖区统计',
  'regions.tree': '区划树',
} satisfies Record<string, string>;

export type Key = keyof typeof zhCN;
