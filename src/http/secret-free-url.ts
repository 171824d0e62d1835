// Secrets a request URL can carry, cut before it is logged or echoed in a problem:
// - query parameters: a private status page's and a subscriber's link `token`, a `key` or `secret`
//   (after `#` too: the router reads a query there, and sign-in links put `#token=` in the console's URL);
// - path segments: the ingest key of /integrations/<kind>/<key>, /int/<key>/api/v2/alerts and
//   /heartbeat/<key>, a signed /actions/<token>, and a calendar feed's /api/v1/calendars/<token>.ics.
const SECRET_QUERY = /([?&#](?:token|key|secret|api_key)=)[^&#]*/gi;
const SECRET_SEGMENT = /(\/(?:int|heartbeat|actions|calendars)\/+)[^/?#]+/gi;
// The API's own actions on an integration (/api/v1/integrations/<id>/enable: routes/integrations.ts)
// follow an id, not a key: redacting them hid the action and showed the id. Any other segment is a key.
const INGEST_KEY = /(\/integrations\/+[^/?#]+\/+)(?!(?:rotate-key|enable|disable)(?:[/?#]|$))[^/?#]+/gi;

// The router decodes %XX escapes before it matches, so /h%65artbeat/<key> is /heartbeat/<key>. The
// escapes of letters, digits and -._~ mean those characters (RFC 3986 6.2.2.2): decoded, none hides a prefix.
const ESCAPED_UNRESERVED = /%(2[dDeE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA]|5[fF]|7[eE])/g;

/** The URL with each secret replaced by `<secret>`. */
export function secretFreeUrl(url: string): string {
  return url
    .replace(ESCAPED_UNRESERVED, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(SECRET_QUERY, "$1<secret>")
    .replace(SECRET_SEGMENT, "$1<secret>")
    .replace(INGEST_KEY, "$1<secret>");
}
