import { v7 } from 'uuid';

/** UUIDv7: sortable by creation time, and creatable offline by the browser. */
export const newId = (): string => v7();
