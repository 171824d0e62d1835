/** JSON payloads are text in both databases (ADR 0003); the store trusts what it wrote itself. */
export const toJsonText = (value: unknown): string => JSON.stringify(value);
export const fromJsonText = <T>(text: string): T => JSON.parse(text) as T;
export const toJsonTextOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);
export const fromJsonTextOrNull = <T>(text: string | null): T | null =>
  text === null ? null : (JSON.parse(text) as T);

/** Booleans are INTEGER 0/1 in both databases. */
export const toFlag = (value: boolean): number => (value ? 1 : 0);
export const fromFlag = (value: number | string): boolean => Number(value) !== 0;
