// The fields of a status page's settings, shared by the create form and the Settings tab, and the
// private page's secret link (shown once, after a create or a rotate).
import { useState } from "react";
import { CheckboxField, Field } from "../forms";
import type { PageSettings, StatusPage } from "../status-api";
import { CopyBlock } from "../widgets";
import { browserTimeZone, TIME_ZONES } from "./schedule-time";

export interface SettingsDraft {
  title: string;
  slug: string;
  logoUrl: string;
  brandColor: string;
  customDomain: string;
  timeZone: string;
  private: boolean;
}

export const SETTINGS_FIELDS = [
  "title",
  "slug",
  "logoUrl",
  "brandColor",
  "customDomain",
  "timeZone",
  "private",
] as const;

export const emptyDraft = (): SettingsDraft => ({
  title: "",
  slug: "",
  logoUrl: "",
  brandColor: "#1747A6",
  customDomain: "",
  timeZone: browserTimeZone(),
  private: false,
});

export const draftOf = (page: StatusPage): SettingsDraft => ({
  title: page.title,
  slug: page.slug,
  logoUrl: page.logoUrl ?? "",
  brandColor: page.brandColor,
  customDomain: page.customDomain ?? "",
  timeZone: page.timeZone,
  private: page.private,
});

/** What the server takes: trimmed, with empty optional fields as null. */
export const settingsOf = (draft: SettingsDraft): PageSettings => ({
  title: draft.title.trim(),
  slug: draft.slug.trim(),
  logoUrl: draft.logoUrl.trim() || null,
  brandColor: draft.brandColor.trim().toUpperCase(),
  customDomain: draft.customDomain.trim().toLowerCase() || null,
  timeZone: draft.timeZone.trim(),
  private: draft.private,
});

/** "Acme Cloud status" → "acme-cloud-status". */
export const slugOf = (title: string): string =>
  title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");

interface FieldsProps {
  draft: SettingsDraft;
  errors: Record<string, string>;
  onChange(next: SettingsDraft): void;
  /** Takes back a field's error once it changes (useSubmission's `clear`); fields are named as sent. */
  clear(field: string): void;
  /** While true, the slug follows the title. */
  slugFollowsTitle?: boolean;
  idPrefix: string;
}

export function PageSettingsFields(props: FieldsProps) {
  const { draft, errors, onChange, clear, slugFollowsTitle, idPrefix } = props;
  const set = (patch: Partial<SettingsDraft>) => {
    for (const field of Object.keys(patch)) clear(field);
    onChange({ ...draft, ...patch });
  };
  const zones = `${idPrefix}-time-zones`;
  return (
    <>
      <div className="form-row">
        <Field
          label="Title"
          autoComplete="off"
          required
          maxLength={200}
          value={draft.title}
          onChange={(e) =>
            set({ title: e.target.value, ...(slugFollowsTitle && { slug: slugOf(e.target.value) }) })
          }
          error={errors.title}
          hint="Your product or company, such as “Acme Cloud”: the page is headed “Acme Cloud status”."
        />
        <Field
          label="Slug"
          autoComplete="off"
          required
          maxLength={63}
          value={draft.slug}
          onChange={(e) => set({ slug: e.target.value })}
          error={errors.slug}
          hint={
            <>
              Lower-case letters, digits and dashes: the page lives at{" "}
              <code>/status/{draft.slug || "…"}</code>.
            </>
          }
        />
      </div>
      <div className="form-row">
        <Field
          label="Logo URL"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://example.com/logo.svg"
          value={draft.logoUrl}
          onChange={(e) => set({ logoUrl: e.target.value })}
          error={errors.logoUrl}
          hint="Optional. An https image, shown beside the title."
        />
        <div className="status-colour">
          <Field
            label="Brand colour"
            type="color"
            value={/^#[0-9a-fA-F]{6}$/.test(draft.brandColor) ? draft.brandColor.toLowerCase() : "#1747a6"}
            onChange={(e) => set({ brandColor: e.target.value.toUpperCase() })}
            error={errors.brandColor}
            hint={`${draft.brandColor.toUpperCase()}: the stripe along the top of the page.`}
          />
        </div>
      </div>
      <div className="form-row">
        <Field
          label="Custom domain"
          autoComplete="off"
          placeholder="status.example.com"
          value={draft.customDomain}
          onChange={(e) => set({ customDomain: e.target.value })}
          error={errors.customDomain}
          hint="Optional. Point its DNS at Firebreak; requests for this host name show this page."
        />
        <Field
          label="Time zone"
          autoComplete="off"
          list={zones}
          required
          value={draft.timeZone}
          onChange={(e) => set({ timeZone: e.target.value })}
          error={errors.timeZone}
          hint="Times on the page (and maintenance you schedule here) are in this zone."
        />
        <datalist id={zones}>
          {TIME_ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </div>
      <CheckboxField
        label="Private: only for people signed in to Firebreak, or with the secret link"
        checked={draft.private}
        onChange={(e) => set({ private: e.target.checked })}
        hint="For internal status. Anyone else gets “not found”."
      />
      {errors.private && <p className="field-error">{errors.private}</p>}
    </>
  );
}

/** The page's URL with its secret token, which opens a private page without signing in. */
export function secretLinkOf(page: StatusPage, token: string): string {
  const url = new URL(page.publicUrl, window.location.origin);
  url.searchParams.set("token", token);
  return url.href;
}

/** Secret links revealed in this browser tab, by page id, until their reader dismisses them. */
export const revealedSecretLinks = new Map<string, string>();

export function SecretLinkNotice({ pageId, onDismiss }: { pageId: string; onDismiss?(): void }) {
  const [url, setUrl] = useState(() => revealedSecretLinks.get(pageId));
  if (!url) return null;
  return (
    <div className="notice notice-warning status-secret" role="status">
      <p>
        <strong>The secret link, shown only now.</strong> Anyone with it can read this private page without
        signing in. Keep it somewhere safe; rotate it in Settings if it leaks.
      </p>
      <CopyBlock title="Secret link" text={url} inline />
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          revealedSecretLinks.delete(pageId);
          setUrl(undefined);
          onDismiss?.();
        }}
      >
        I have saved it
      </button>
    </div>
  );
}
