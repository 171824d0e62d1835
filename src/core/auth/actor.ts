import { AppError } from "../errors.js";
import { roleAllows, type Role } from "./roles.js";

/** Who is doing something: a signed-in user, an API key, or Firebreak itself (jobs, start-up). */
export type Actor =
  | { readonly kind: "user"; readonly id: string; readonly role: Role; readonly label: string }
  | { readonly kind: "api_key"; readonly id: string; readonly role: Role; readonly label: string }
  | { readonly kind: "system"; readonly id: "system"; readonly role: "admin"; readonly label: string };

export const systemActor = (label = "firebreak"): Actor => ({
  kind: "system",
  id: "system",
  role: "admin",
  label,
});

/** Throws FORBIDDEN unless the actor's role reaches `required`. */
export function requireRole(actor: Actor, required: Role): void {
  if (!roleAllows(actor.role, required)) {
    throw new AppError(
      "FORBIDDEN",
      `this action needs the ${required} role; ${actor.label} has ${actor.role}`,
    );
  }
}
