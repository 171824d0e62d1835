/** `text` as a regular expression that matches exactly it: every character with a meaning escaped. */
export const regExpLiteral = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
