/** Instants cross the store boundary as Date in the app and epoch milliseconds in SQL. */
export const toMs = (d: Date): number => d.getTime();
export const toMsOrNull = (d: Date | null): number | null => (d === null ? null : d.getTime());
export const fromMs = (ms: number | string): Date => new Date(Number(ms));
export const fromMsOrNull = (ms: number | string | null): Date | null =>
  ms === null ? null : new Date(Number(ms));
