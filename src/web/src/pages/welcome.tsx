// /welcome#token=…: the first admin claims the account the server created at first start.
import { useState, type FormEvent } from "react";
import { api } from "../api";
import { Field, FormError, useSubmission } from "../forms";
import { CardLayout, Page } from "../layout";
import { Link, useLocation, useNavigate } from "../router";
import { useSession } from "../session";

/** The token rides in the fragment (#token=…), which browsers never send to the server. */
function tokenFrom(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && token.length > 0 ? token : undefined;
}

export function WelcomePage() {
  const { adopt } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [token] = useState(() => tokenFrom(location.hash));
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const submission = useSubmission(["email", "name", "password"], { conflictField: "email" });
  const linkUnusable = submission.failure?.status === 401;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!token) return;
    void submission.run(async () => {
      const signedIn = await api.claimLink({ token, email, name, password });
      adopt(signedIn);
      // Replace, so Back does not return to a link that no longer works.
      navigate("/", { replace: true });
    });
  };

  if (!token) {
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

  return (
    <CardLayout>
      <Page
        heading="Set up your admin account"
        lead="You are the first person here. Choose the email, name and password of Firebreak's first admin; you can add everyone else afterwards."
      >
        <FormError
          message={linkUnusable ? "This setup link has expired or was already used." : submission.error}
        >
          {linkUnusable && (
            <p>
              If the account is already set up, <Link to="/sign-in">sign in</Link>. If nobody has set it up
              yet, restart Firebreak: until the admin account is claimed, every start prints a fresh link.
            </p>
          )}
        </FormError>
        <form className="form" onSubmit={submit} noValidate>
          <Field
            label="Email"
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={submission.fields.email}
          />
          <Field
            label="Name"
            name="name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
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
            onChange={(e) => setPassword(e.target.value)}
            error={submission.fields.password}
            hint="At least 10 characters. A passphrase of a few words is easier to type half asleep."
          />
          <button type="submit" className="button button-primary button-wide" disabled={submission.busy}>
            {submission.busy ? "Setting up…" : "Create admin account"}
          </button>
        </form>
      </Page>
    </CardLayout>
  );
}
