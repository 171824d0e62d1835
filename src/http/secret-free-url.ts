// Secret-bearing query parameters (calendar and sign-in tokens) and path segments (integration keys,
// signed links, calendar feed tokens) of a request URL, cut before it is logged or echoed in a problem.
const SECRET_QUERY = /([?&](?:token|key|secret|api_key)=)[^&#]*/gi;
const SECRET_PATH = /(\/(?:integrations\/[^/?#]+|int|heartbeat|actions|calendars)\/)[^/?#]+/gi;

/** The URL with each secret replaced by `<secret>`. */
export function secretFreeUrl(url: string): string {
  return url.replace(SECRET_QUERY, "$1<secret>").replace(SECRET_PATH, "$1<secret>");
}
