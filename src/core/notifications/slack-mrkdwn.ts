/**
 * Slack mrkdwn treats `&`, `<` and `>` as markup (its formatting docs: `<!channel>`, `<url|label>`),
 * so text from people and alerts is escaped before it is put in a message or a command's reply.
 */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/[&<>]/g, (ch) => (ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : "&gt;"));
