/** The auth feature's words in Simplified Chinese, the reference: strings.en-US.ts must hold exactly these keys. */
export const zhCN = {
  'auth.signIn': '登录',
  'auth.username': '用户名',
  'auth.password': '密码',
  'auth.usernameRequired': '请输入用户名',
  'auth.passwordRequired': '请输入密码',
  'auth.demoHint': '演示账号密码 demo1234',
  'account.title': '我的账号',
  'account.profile': '账号信息',
  'account.changePassword': '修改密码',
  'account.phone': '工作电话',
  'account.phoneNone': '未登记',
  'account.phoneSave': '保存电话',
  'account.phoneSaved': '工作电话已保存',
  'account.currentPassword': '当前密码',
  'account.newPassword': '新密码',
  'account.confirmPassword': '确认新密码',
  'account.passwordRule': '至少 8 位，且须同时包含字母和数字',
  'account.passwordMismatch': '两次输入的新密码不一致',
  'account.passwordSame': '新密码不能与当前密码相同',
  'account.passwordChanged': '密码已修改',
  'account.mustChange': '为保障账号安全，首次登录或密码被重置后，须先修改密码才能继续使用。',
  'account.language': '界面语言',
} satisfies Record<string, string>;

export type Key = keyof typeof zhCN;
