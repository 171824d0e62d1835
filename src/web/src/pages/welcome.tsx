// /welcome#token=…: the first admin claims the account the server created at first start.
import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, messageOf } from "../api";
import { Field, FormError, useSubmission } from "../forms";
import { CardLayout, Page } from "../layout";
import { Link, useLocation, useNavigate } from "../router";
import { useSession } from "../session";

/** The token rides in the fragment (#token=…), which browsers never send to the server. */
function tokenFrom(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && token.length > 0 ? token : undefined;
}

/** What the server said of the link before anyone typed: `unknown` when it could not be asked. */
type LinkState =
  { kind: "checking" } | { kind: "usable" } | { kind: "unusable" } | { kind: "unknown"; error: string };

export function WelcomePage() {
  const location = useLocation();
  const [token] = useState(() => tokenFrom(location.hash));
  return token ? <ClaimLink token={token} /> : <NoToken />;
}

function NoToken() {
  return (
    <CardLayout>
      <Page heading="Set up your admin account">
        <div className="notice notice-warning" role="alert">
          <p>This page needs the setup link that Firebreak printed when it started for the first time.</p>
        </div>
        <p>
          The link looks like <code>https://your-firebreak/welcome#token=fbl_…</code>. Open the whole link,
          including the part after <code>#</code>.
        </p>
        <p>
          Already set up? <Link to="/sign-in">Sign in</Link>.
        </p>
      </Page>
    </CardLayout>
  );
}

/** A used or expired link: what to do instead of typing a password that cannot be saved. */
function LinkUnusable() {
  return (
    <CardLayout>
      <Page heading="This setup link can’t be used">
        <div className="notice notice-warning" role="alert">
          <p>This setup link has expired or was already used.</p>
        </div>
        <p>
          Already set your password? <Link to="/sign-in">Sign in</Link>.
        </p>
        <p>
          Nobody has set up the admin account yet? Restart Firebreak, or ask whoever runs it to: until the
          account is set up, every start prints a fresh link.
        </p>
        <p>Need a way in to an account that is set up? Ask an admin to add you or to set a new password.</p>
      </Page>
    </CardLayout>
  );
}

function ClaimLink({ token }: { token: string }) {
  const { adopt } = useSession();
  const navigate = useNavigate();
  const [link, setLink] = useState<LinkState>({ kind: "checking" });
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const submission = useSubmission(["email", "name", "password"], { conflictField: "email" });
  const { clear } = submission;

  // Asking first spares the person a form whose every keystroke would be lost on submit.
  useEffect(() => {
    let current = true;
    api.checkLink(token).then(
      (check) => {
        if (!current) return;
        setEmail(check.email ?? "");
        setName(check.name ?? "");
        setLink({ kind: "usable" });
      },
      (err: unknown) => {
        if (!current) return;
        const dead = err instanceof ApiError && err.status === 401;
        setLink(dead ? { kind: "unusable" } : { kind: "unknown", error: messageOf(err) });
      },
    );
    return () => {
      current = false;
    };
  }, [token]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const signedIn = await api.claimLink({ token, email, name, password });
      adopt(signedIn);
      // Replace, so Back does not return to a link that no longer works.
      navigate("/", { replace: true });
    });
  };

  // A claim refused with 401: the link died after the check (claimed in another tab, or expired).
  if (link.kind === "unusable" || submission.failure?.status === 401) return <LinkUnusable />;

  return (
    <CardLayout>
      <Page
        heading="Set up your admin account"
        lead="You are the first person here. Choose the email, name and password of Firebreak's first admin; you can add everyone else afterwards."
      >
        {link.kind === "checking" ? (
          <p role="status">Checking the setup link…</p>
        ) : (
          <>
            {link.kind === "unknown" && (
              <div className="notice notice-warning" role="status">
                <p>Could not check the setup link: {link.error} You can still try it below.</p>
              </div>
            )}
            <FormError message={submission.error} />
            <form className="form" onSubmit={submit} noValidate>
              <Field
                label="Email"
                type="email"
                name="email"
                autoComplete="email"
                required
                value={email}
                onChange={(e) => {
                  setEmail(e.target.value);
                  clear("email");
                }}
                error={submission.fields.email}
              />
              <Field
                label="Name"
                name="name"
                autoComplete="name"
                required
                value={name}
                onChange={(e) => {
                  setName(e.target.value);
                  clear("name");
                }}
                error={submission.fields.name}
                hint="How teammates will see you."
              />
              <Field
                label="Password"
                type="password"
                name="password"
                autoComplete="new-password"
                required
                minLength={10}
                value={password}
                onChange={(e) => {
                  setPassword(e.target.value);
                  clear("password");
                }}
                error={submission.fields.password}
                hint="At least 10 characters. A passphrase of a few words is easier to type half asleep."
              />
              <button type="submit" className="button button-primary button-wide" disabled={submission.busy}>
                {submission.busy ? "Setting up…" : "Create admin account"}
              </button>
            </form>
          </>
        )}
      </Page>
    </CardLayout>
  );
}
