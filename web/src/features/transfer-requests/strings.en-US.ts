import type { Key } from './strings.zh-CN.js';

/** The transfer-requests feature's words in English: the type demands exactly the keys of the Chinese dictionary. */
export const enUS: Record<Key, string> = {
  'transfer.incomingTitle': 'Transfer requests (to decide)',
  'transfer.incomingIntro': 'Other areas ask for these children to move to them: transfer after checking, or decline with a reason.',
  'transfer.outgoingTitle': 'My transfer requests',
  'transfer.askedName': 'Name given by the asker: {name}',
  'transfer.to': 'To: {place}',
  'transfer.askedBy': 'Asked by {name} on {time}',
  'transfer.accept': 'Transfer',
  'transfer.acceptConfirm': 'Move the file of {name} with all its records to {place}? Your area will no longer see it.',
  'transfer.accepted': 'Transferred',
  'transfer.decline': 'Decline',
  'transfer.declineReason': 'Reason (the asker reads it)',
  'transfer.declineRequired': 'Give a reason (at least 2 characters)',
  'transfer.declined': 'Declined',
  'transfer.state.open': 'Waiting',
  'transfer.state.transferred': 'Transferred',
  'transfer.state.declined': 'Declined',
  'transfer.reason': 'Reason: {reason}',
  'transfer.openFile': 'Open the file',
  'transfer.noDecide': 'Decided by the township or the county',
};
