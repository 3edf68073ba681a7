/**
 * The Content-Security-Policy allows no eval (server/core/security-headers.ts). zod probes
 * `new Function` when it builds its first object schema — a reported violation — and then
 * parses without compiled code anyway: tell it so before any schema is built.
 */
import { config } from 'zod/v4/core';

config({ jitless: true });
