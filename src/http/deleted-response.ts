import { Type } from "typebox";

/** The 204 of a DELETE: no body. Described, as the API docs want every answer to say when it happens. */
export const DeletedResponse = Type.Null({ description: "Deleted; no body" });
