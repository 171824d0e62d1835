/** `00` … `ff`: a byte is printed by one table look-up rather than toString and padStart. */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** A byte (0–255) as two lowercase hex digits. */
export const hexByte = (byte: number): string => HEX_BYTES[byte] as string;
