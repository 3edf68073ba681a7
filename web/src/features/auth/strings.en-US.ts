import type { Key } from './strings.zh-CN.js';

/** The auth feature's words in English: the type demands exactly the keys of the Chinese dictionary. */
export const enUS: Record<Key, string> = {
  'auth.signIn': 'Sign in',
  'auth.username': 'Username',
  'auth.password': 'Password',
  'auth.usernameRequired': 'Enter your username',
  'auth.passwordRequired': 'Enter your password',
  'auth.demoHint': 'Demo accounts use the password demo1234',
  'account.title': 'My account',
  'account.profile': 'Profile',
  'account.changePassword': 'Change password',
  'account.phone': 'Work phone',
  'account.phoneNone': 'not on record',
  'account.phoneSave': 'Save phone',
  'account.phoneSaved': 'Work phone saved',
  'account.currentPassword': 'Current password',
  'account.newPassword': 'New password',
  'account.confirmPassword': 'Confirm new password',
  'account.passwordRule': 'At least 8 characters, with both letters and digits',
  'account.passwordMismatch': 'The two new passwords differ',
  'account.passwordSame': 'The new password must differ from the current one',
  'account.passwordChanged': 'Password changed',
  'account.mustChange': 'For your account’s safety, change your password before continuing (first sign-in or after a reset).',
  'account.language': 'Interface language',
};
