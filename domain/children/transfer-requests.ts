/**
 * Transfer requests (issue 12 §1): one ID number is one person and one file.
 * A user who enters a child whose ID number has a file outside his area asks
 * the owning village to transfer the child to his village: he names the child
 * as he knows him and adds a note. The owning village's township supervisor
 * and county (whoever may move a child there) transfer the child or decline
 * with a reason; the owning director sees the request. Until the transfer the
 * asker learns nothing of the file: not its name, birth date, place or id —
 * only his request's state, and on a decline the reason written for him.
 */
import { z } from 'zod';
import { RegionCode, RegionRef } from '../api.js';
import { personName } from '../person-name.js';

const text = (max: number) => z.string().trim().max(max);

export const TRANSFER_REQUEST_STATES = ['open', 'transferred', 'declined'] as const;
export type TransferRequestState = (typeof TRANSFER_REQUEST_STATES)[number];

export const TransferRequestInput = z.object({
  /** The ID number entered: it must have a file outside the asker's area. */
  idNumber: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^\d{17}[\dX]$/),
  /** The child's name as the asker knows him. */
  name: personName(50),
  /** The asker's village the child should move to. */
  regionCode: RegionCode,
  /** Why: e.g. the family moved here in May. */
  note: text(500).min(2),
});
export type TransferRequestInput = z.infer<typeof TransferRequestInput>;

export const TransferRequestDecline = z.object({ reason: text(500).min(2) });
export type TransferRequestDecline = z.infer<typeof TransferRequestDecline>;

/** A request as its asker sees it: what he wrote, its state; the child only once transferred to him. */
export const OutgoingTransferRequest = z.object({
  id: z.string(),
  name: z.string(),
  note: z.string(),
  to: RegionRef,
  askedAt: z.string(),
  state: z.enum(TRANSFER_REQUEST_STATES),
  decidedAt: z.string().nullable(),
  declineReason: z.string().nullable(),
  /** The child's file, once transferred into the asker's village. */
  childId: z.string().nullable(),
});
export type OutgoingTransferRequest = z.infer<typeof OutgoingTransferRequest>;

/** An open request as the owning side sees it: the child of its own file, who asks, for which village, why. */
export const IncomingTransferRequest = z.object({
  id: z.string(),
  child: z.object({ id: z.string(), name: z.string(), region: RegionRef }),
  askedName: z.string(),
  note: z.string(),
  /** Where the child would go: the asker's village with its township, county, city and province, by name. */
  to: z.string(),
  askedBy: z.string(),
  askedAt: z.string(),
});
export type IncomingTransferRequest = z.infer<typeof IncomingTransferRequest>;

export const TransferRequests = z.object({
  /** Open requests for files of the actor's area. */
  incoming: z.array(IncomingTransferRequest),
  /** The actor's own requests, newest first. */
  outgoing: z.array(OutgoingTransferRequest),
  /** Whether the actor may decide the incoming requests (child.transfer). */
  mayDecide: z.boolean(),
});
export type TransferRequests = z.infer<typeof TransferRequests>;
