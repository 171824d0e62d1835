/**
 * The small server-rendered pages behind signed acknowledge/resolve links: no script, every value
 * escaped, readable on a phone. The form posts back to the page's own URL, so the token appears
 * nowhere in the markup.
 */

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** Headers of every action page: not cached, not framed, no scripts, forms only to this origin. */
export const ACTION_PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-robots-tag": "noindex, nofollow",
} as const;

const STYLE = `
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 1.5rem; color: #1b1f24; background: #f6f7f9; }
  main { max-width: 28rem; margin: 0 auto; background: #fff; border-radius: 12px; padding: 1.5rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
  h1 { font-size: 1.25rem; margin: 0 0 0.75rem; overflow-wrap: anywhere; }
  p { margin: 0.5rem 0; overflow-wrap: anywhere; }
  .muted { color: #57606a; font-size: 0.9rem; }
  button { display: block; width: 100%; margin-top: 1.25rem; padding: 0.9rem; font-size: 1.1rem; font-weight: 600; border: 0; border-radius: 8px; color: #fff; background: #0b6bcb; }
  a { color: #0b6bcb; }
`;

export function actionPage(input: {
  title: string;
  lines: ReadonlyArray<string>;
  button?: string;
  link?: { href: string; text: string };
}): string {
  const lines = input.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n    ");
  const button = input.button
    ? `\n    <form method="post"><button type="submit">${escapeHtml(input.button)}</button></form>`
    : "";
  const link = input.link
    ? `\n    <p class="muted"><a href="${escapeHtml(input.link.href)}">${escapeHtml(input.link.text)}</a></p>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>${escapeHtml(input.title)} · Firebreak</title>
  <style>${STYLE}</style>
</head>
<body>
  <main>
    <h1>${escapeHtml(input.title)}</h1>
    ${lines}${button}${link}
  </main>
</body>
</html>
`;
}
