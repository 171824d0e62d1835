// The Components tab: component groups and components in the order customers see them, what each
// shows now, and (for admins) adding, editing, reordering and removing them.
import { useState, type FormEvent } from "react";
import { alerting, type Service } from "../alerting-api";
import { messageOf } from "../api";
import { useLoad } from "../data";
import { ConfirmDialog } from "../dialog";
import { Field, FormError, useSubmission } from "../forms";
import { statusPages, type ComponentGroup, type StatusComponent } from "../status-api";
import { useStatusPage } from "./status-page-shell";
import { ComponentForm } from "./status-component-form";
import { ComponentStatusBadge } from "./status-widgets";

/** The new order after moving item `index` by `delta`, or undefined at either end. */
function moved<T>(items: readonly T[], index: number, delta: -1 | 1): T[] | undefined {
  const target = index + delta;
  if (index < 0 || target < 0 || target >= items.length) return undefined;
  const next = [...items];
  [next[index], next[target]] = [next[target] as T, next[index] as T];
  return next;
}

type Removing = { kind: "component"; item: StatusComponent } | { kind: "group"; item: ComponentGroup };

function useOutcome() {
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>, done?: string): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      await action();
      if (done) setMessage(done);
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { message, error, busy, run, clear: () => (setMessage(undefined), setError(undefined)) };
}

function ComponentItem(props: {
  component: StatusComponent;
  services: Map<string, string>;
  first: boolean;
  last: boolean;
  busy: boolean;
  onMove(delta: -1 | 1): void;
  onEdit(): void;
  onRemove(): void;
}) {
  const { isAdmin } = useStatusPage();
  const c = props.component;
  const linked = c.serviceIds.map((s) => props.services.get(s) ?? "a removed service");
  return (
    <div className="status-item">
      <div className="status-item-main">
        <h4 className="status-item-name">{c.name}</h4>
        <ComponentStatusBadge status={c.status} />
        {c.manualStatus && <span className="badge badge-warning">Set by hand</span>}
        {c.onlyShowIfDegraded && <span className="badge badge-quiet">Only shown while degraded</span>}
      </div>
      {c.description && <p className="status-item-description break">{c.description}</p>}
      <p className="muted status-item-services">
        {linked.length > 0 ? `Linked to ${linked.join(", ")}.` : "Not linked to a service."}
      </p>
      {isAdmin && (
        <div className="actions actions-tight">
          <button
            type="button"
            className="button button-small"
            disabled={props.first || props.busy}
            onClick={() => props.onMove(-1)}
          >
            Move up<span className="visually-hidden"> {c.name}</span>
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={props.last || props.busy}
            onClick={() => props.onMove(1)}
          >
            Move down<span className="visually-hidden"> {c.name}</span>
          </button>
          <button type="button" className="button button-small" onClick={props.onEdit}>
            Edit<span className="visually-hidden"> {c.name}</span>
          </button>
          <button type="button" className="button button-small button-danger-quiet" onClick={props.onRemove}>
            Remove<span className="visually-hidden"> {c.name}</span>
          </button>
        </div>
      )}
    </div>
  );
}

function GroupHeading(props: {
  group: ComponentGroup;
  first: boolean;
  last: boolean;
  busy: boolean;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
  onRenamed(): Promise<void>;
}) {
  const { page, isAdmin } = useStatusPage();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(props.group.name);
  const submission = useSubmission(["name"]);
  const rename = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      await statusPages.updateGroup(page.id, props.group.id, { name: name.trim() });
      await props.onRenamed();
      setRenaming(false);
    });
  };
  return (
    <div className="status-group-head">
      <h3>{props.group.name}</h3>
      {isAdmin && !renaming && (
        <div className="actions actions-tight">
          <button
            type="button"
            className="button button-small"
            disabled={props.first || props.busy}
            onClick={() => props.onMove(-1)}
          >
            Move up<span className="visually-hidden"> group {props.group.name}</span>
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={props.last || props.busy}
            onClick={() => props.onMove(1)}
          >
            Move down<span className="visually-hidden"> group {props.group.name}</span>
          </button>
          <button type="button" className="button button-small" onClick={() => setRenaming(true)}>
            Rename<span className="visually-hidden"> group {props.group.name}</span>
          </button>
          <button type="button" className="button button-small button-danger-quiet" onClick={props.onRemove}>
            Remove<span className="visually-hidden"> group {props.group.name}</span>
          </button>
        </div>
      )}
      {renaming && (
        <form className="status-inline-form" onSubmit={rename} noValidate>
          <FormError message={submission.error} />
          <Field
            label="Group name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              submission.clear("name");
            }}
            error={submission.fields.name}
          />
          <button type="submit" className="button button-primary" disabled={submission.busy}>
            Save
          </button>
          <button type="button" className="button" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      )}
    </div>
  );
}

function AddGroupForm({ onAdded }: { onAdded(name: string): Promise<void> }) {
  const { page, groups } = useStatusPage();
  const [name, setName] = useState("");
  const submission = useSubmission(["name"]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const created = await statusPages.createGroup(page.id, { name: name.trim(), position: groups.length });
      setName("");
      await onAdded(created.name);
    });
  };
  return (
    <form className="status-inline-form" onSubmit={submit} noValidate aria-labelledby="add-group">
      <FormError message={submission.error} />
      <Field
        label="New group"
        autoComplete="off"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          submission.clear("name");
        }}
        error={submission.fields.name}
        hint="Such as “Europe” or “APIs”: customers see the group's components together."
      />
      <button type="submit" className="button" disabled={submission.busy}>
        Add group
      </button>
    </form>
  );
}

export function StatusComponentsTab() {
  const { page, components, groups, isAdmin, reloadComponents } = useStatusPage();
  const services = useLoad(alerting.listServices);
  const serviceNames = new Map((services.data ?? []).map((s: Service) => [s.id, s.name]));
  const [editing, setEditing] = useState<string>();
  const [removing, setRemoving] = useState<Removing>();
  const outcome = useOutcome();
  const removal = useOutcome();

  const reorder = <T extends { id: string; position: number }>(
    items: readonly T[],
    index: number,
    delta: -1 | 1,
    save: (item: T, position: number) => Promise<unknown>,
  ) =>
    void outcome.run(async () => {
      const next = moved(items, index, delta);
      if (!next) return;
      // Renumber the whole list, so equal or sparse positions still end in the order shown.
      for (const [position, item] of next.entries())
        if (item.position !== position) await save(item, position);
      await reloadComponents();
    }, "Order saved.");

  const moveComponent = (c: StatusComponent, delta: -1 | 1) => {
    const siblings = components.filter((x) => x.groupId === c.groupId);
    reorder(siblings, siblings.indexOf(c), delta, (item, position) =>
      statusPages.updateComponent(page.id, item.id, { position }),
    );
  };
  const moveGroup = (g: ComponentGroup, delta: -1 | 1) =>
    reorder(groups, groups.indexOf(g), delta, (item, position) =>
      statusPages.updateGroup(page.id, item.id, { position }),
    );

  const remove = () =>
    void removal.run(async () => {
      if (!removing) return;
      if (removing.kind === "component") await statusPages.removeComponent(page.id, removing.item.id);
      else await statusPages.removeGroup(page.id, removing.item.id);
      await reloadComponents();
      outcome.clear();
      setRemoving(undefined);
    });

  const sections: { group: ComponentGroup | undefined; items: StatusComponent[] }[] = [
    {
      group: undefined,
      items: components.filter((c) => !c.groupId || !groups.some((g) => g.id === c.groupId)),
    },
    ...groups.map((g) => ({ group: g, items: components.filter((c) => c.groupId === g.id) })),
  ];

  const renderComponents = (items: StatusComponent[]) =>
    items.length > 0 && (
      <ul className="status-items" aria-label="Components">
        {items.map((c, i) => (
          <li key={c.id}>
            {editing === c.id ? (
              <ComponentForm
                component={c}
                services={services.data ?? []}
                onCancel={() => setEditing(undefined)}
                onSaved={(saved) =>
                  void outcome.run(async () => {
                    setEditing(undefined);
                    await reloadComponents();
                  }, `${saved.name} saved.`)
                }
              />
            ) : (
              <ComponentItem
                component={c}
                services={serviceNames}
                first={i === 0}
                last={i === items.length - 1}
                busy={outcome.busy}
                onMove={(delta) => moveComponent(c, delta)}
                onEdit={() => setEditing(c.id)}
                onRemove={() => setRemoving({ kind: "component", item: c })}
              />
            )}
          </li>
        ))}
      </ul>
    );

  return (
    <>
      <section className="panel" aria-labelledby="status-components">
        <h2 id="status-components">Components</h2>
        <p className="muted">
          What customers see, in this order. A component's status comes from the open incidents of its linked
          services, status incidents and maintenance posted here, or your manual override.
        </p>
        <div role="status">
          {outcome.message && (
            <div className="notice notice-success">
              <p>{outcome.message}</p>
            </div>
          )}
        </div>
        <FormError message={outcome.error} />
        {components.length === 0 && groups.length === 0 && (
          <p className="empty">No components yet.{isAdmin && " Add the first one below."}</p>
        )}
        {sections.map(({ group, items }) =>
          group ? (
            <section key={group.id} className="status-group" aria-label={`Group ${group.name}`}>
              <GroupHeading
                group={group}
                first={groups.indexOf(group) === 0}
                last={groups.indexOf(group) === groups.length - 1}
                busy={outcome.busy}
                onMove={(delta) => moveGroup(group, delta)}
                onRemove={() => setRemoving({ kind: "group", item: group })}
                onRenamed={reloadComponents}
              />
              {items.length === 0 && <p className="muted">No components in this group.</p>}
              {renderComponents(items)}
            </section>
          ) : (
            <div key="ungrouped">{renderComponents(items)}</div>
          ),
        )}
      </section>
      {isAdmin && (
        <section className="panel" aria-labelledby="add-component">
          <h2 id="add-component">Add a component</h2>
          <ComponentForm
            services={services.data ?? []}
            onSaved={(saved) =>
              void outcome.run(async () => {
                await reloadComponents();
              }, `${saved.name} added.`)
            }
          />
          <h3 id="add-group">Add a group</h3>
          <AddGroupForm
            onAdded={async (name) => {
              await outcome.run(reloadComponents, `Group ${name} added.`);
            }}
          />
        </section>
      )}
      <ConfirmDialog
        open={removing !== undefined}
        title={
          removing?.kind === "group"
            ? `Remove the group ${removing.item.name}?`
            : `Remove ${removing?.item.name ?? ""}?`
        }
        confirmLabel="Remove"
        danger
        busy={removal.busy}
        onConfirm={remove}
        onCancel={() => {
          setRemoving(undefined);
          removal.clear();
        }}
      >
        <p>
          {removing?.kind === "group"
            ? "Its components stay on the page, without a group."
            : "Customers no longer see it; past incidents keep their text."}
        </p>
        <FormError message={removal.error} />
      </ConfirmDialog>
    </>
  );
}
