import { v7 as uuidv7, validate, version } from 'uuid';

/** A new time-ordered id (UUIDv7): sortable, so it doubles as a pagination cursor. */
export function newId(): string {
  return uuidv7();
}

export function isUuidV7(value: string): boolean {
  return validate(value) && version(value) === 7;
}
