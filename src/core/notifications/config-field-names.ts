import { editDistance } from "../edit-distance.js";
import type { FieldError } from "../errors.js";

/**
 * The settings one kind of channel or contact method reads. `modes` holds the fields that only one
 * value of the config's `mode` reads (Slack: `url` for "webhook", the bot's fields for "app").
 */
export interface NotifierConfigShape {
  readonly label: string;
  readonly fields: readonly string[];
  readonly modes?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Every kind's field names, in one list: the notifiers' parsers may read only these (ConfigFields is
 * typed by them) and a save refuses any other, so the two cannot drift apart.
 */
export const NOTIFIER_CONFIG_SHAPES = {
  webhook: { label: "webhook", fields: ["url", "secret"] },
  slack: {
    label: "Slack",
    fields: ["mode"],
    modes: { webhook: ["url"], app: ["botToken", "channel", "apiBaseUrl"] },
  },
  email: { label: "email", fields: ["to", "smtpUrl", "from"] },
  teams: { label: "Microsoft Teams", fields: ["url"] },
  discord: { label: "Discord", fields: ["url"] },
  ntfy: { label: "ntfy", fields: ["serverUrl", "topic", "token"] },
} as const satisfies Record<string, NotifierConfigShape>;

type Shapes = typeof NOTIFIER_CONFIG_SHAPES;
type ModeFields<S> = S extends { readonly modes: infer M }
  ? { [P in keyof M]: M[P] extends readonly (infer F)[] ? F : never }[keyof M]
  : never;

/** The field names a kind's parser may read, e.g. "url" | "secret" for "webhook". */
export type NotifierConfigField<K extends keyof Shapes> = Shapes[K]["fields"][number] | ModeFields<Shapes[K]>;

// A pasted value sent as a key must not come back whole: keys are named, never values.
const MAX_KEY_CHARS = 64;
// One error per unknown key up to this many; a config of hundreds of keys gets a count for the rest.
const MAX_NAMED_KEYS = 10;

/**
 * Errors for each key of a submitted `config` that `kind` does not read, with the close known field
 * where there is one ("did you mean"). For saves only: a stored config keeps sending whatever else it
 * holds. An unknown kind or a config that is no object is left to the kind and config checks.
 */
export function unknownConfigFieldErrors(kind: string, config: unknown): FieldError[] {
  const shape: NotifierConfigShape | undefined = Object.hasOwn(NOTIFIER_CONFIG_SHAPES, kind)
    ? NOTIFIER_CONFIG_SHAPES[kind as keyof Shapes]
    : undefined;
  if (shape === undefined || typeof config !== "object" || config === null || Array.isArray(config))
    return [];
  const record = config as Record<string, unknown>;
  const mode =
    typeof record.mode === "string" && shape.modes && Object.hasOwn(shape.modes, record.mode)
      ? record.mode
      : undefined;
  const modeFields = Object.entries(shape.modes ?? {});
  // An unknown mode is the parser's to report; until it is set every mode's fields are allowed.
  const known = [
    ...shape.fields,
    ...modeFields.flatMap(([m, fields]) => (mode === undefined || m === mode ? fields : [])),
  ];
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  const named = unknown.slice(0, MAX_NAMED_KEYS).map((key) => {
    const otherMode = modeFields.find(([, fields]) => fields.includes(key))?.[0];
    if (otherMode !== undefined)
      return `has the field ${quoted(key)}, which only mode ${quoted(otherMode)} reads`;
    const suggestion = closestField(key, known);
    return `has an unknown field ${quoted(key)} ${
      suggestion === undefined
        ? `(${withArticle(shape.label)} config has ${known.join(", ")})`
        : `(did you mean ${quoted(suggestion)}?)`
    }`;
  });
  if (unknown.length > named.length) named.push(`has ${unknown.length - named.length} more unknown fields`);
  return named.map((message) => ({ path: "/config", message }));
}

/** "an email", "a webhook", "a ntfy" (read "notify"): "an" before a vowel. */
const withArticle = (label: string): string => `${/^[aeiou]/i.test(label) ? "an" : "a"} ${label}`;

/**
 * The one known field `key` was most likely meant as: the same words in another case or spelling
 * (URL, bot_token), else one or two typos away (secrett), else the last words of it (webhook_url).
 * None when two fields are equally close by spelling: a wrong guess misleads more than none.
 */
export function closestField(key: string, known: readonly string[]): string | undefined {
  const squashed = words(key).join("");
  if (squashed === "") return undefined;
  const sameWords = known.filter((f) => words(f).join("") === squashed);
  if (sameWords.length > 0) return only(sameWords);

  const close = known.flatMap((f) => {
    const target = words(f).join("");
    const allowed = target.length <= 4 ? 1 : 2;
    // Lengths further apart than the edits allowed cannot be close; a huge key is never measured.
    if (Math.abs(target.length - squashed.length) > allowed) return [];
    const d = editDistance(squashed, target);
    return d <= allowed && d < squashed.length ? [{ f, d }] : [];
  });
  if (close.length > 0) {
    const best = Math.min(...close.map((x) => x.d));
    return only(close.filter((x) => x.d === best).map((x) => x.f));
  }

  // The longest ending wins: slack_bot_token means botToken rather than token.
  const keyWords = words(key);
  const endings = known
    .map((f) => ({ f, fieldWords: words(f) }))
    .filter(
      ({ fieldWords }) =>
        fieldWords.length < keyWords.length &&
        fieldWords.every((w, i) => keyWords[keyWords.length - fieldWords.length + i] === w),
    )
    .sort((a, b) => b.fieldWords.length - a.fieldWords.length);
  return endings[0]?.f;
}

const only = (candidates: readonly string[]): string | undefined =>
  candidates.length === 1 ? candidates[0] : undefined;

/** "botToken", "bot_token", "Bot-Token" → ["bot", "token"]. */
const words = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");

function quoted(key: string): string {
  const chars = [...key];
  return JSON.stringify(chars.length > MAX_KEY_CHARS ? `${chars.slice(0, MAX_KEY_CHARS).join("")}…` : key);
}
