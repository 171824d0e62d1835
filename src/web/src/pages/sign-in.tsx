// /sign-in: email and password; afterwards, back to the page the person wanted.
import { useEffect, useState, type FormEvent } from "react";
import { api, request } from "../api";
import { Field, FormError, useSubmission } from "../forms";
import { CardLayout, Page } from "../layout";
import { Redirect, safeNext, useLocation, useNavigate } from "../router";
import { useSession } from "../session";

export function SignInPage() {
  const { state, adopt } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const next = safeNext(new URLSearchParams(location.search).get("next"));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const submission = useSubmission(["email", "password"]);
  const setupPending = useSetupPending();

  if (state.status === "signed-in") return <Redirect to={next} />;
  const reason = state.status === "signed-out" ? state.reason : "none";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const signedIn = await api.signIn({ email, password });
      adopt(signedIn);
      navigate(next, { replace: true });
    });
  };

  return (
    <CardLayout>
      <Page heading="Sign in to Firebreak">
        {!submission.error && reason === "expired" && (
          <div className="notice notice-info" role="status">
            <p>Your session has ended. Sign in again to continue.</p>
          </div>
        )}
        {!submission.error && reason === "signed-out" && (
          <div className="notice notice-info" role="status">
            <p>You have signed out.</p>
          </div>
        )}
        {setupPending && <SetupPendingNotice />}
        <FormError message={submission.error} />
        <form className="form" onSubmit={submit} noValidate>
          <Field
            label="Email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              submission.clear("email");
            }}
            error={submission.fields.email}
          />
          <Field
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              submission.clear("password");
            }}
            error={submission.fields.password}
          />
          <button type="submit" className="button button-primary button-wide" disabled={submission.busy}>
            {submission.busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        <p className="muted">Forgot your password? Ask an admin to set a new one under Settings → Users.</p>
      </Page>
    </CardLayout>
  );
}

/**
 * Whether the first admin has still to finish setup (GET /api/v1/auth/setup): a fresh install's
 * sign-in page must say where the way in is. False until known, and when the server cannot say.
 */
function useSetupPending(): boolean {
  const [pending, setPending] = useState(false);
  useEffect(() => {
    let current = true;
    request<{ setupPending: boolean }>("GET", "/api/v1/auth/setup", undefined, {
      expectUnauthenticated: true,
    }).then(
      (answer) => current && setPending(answer.setupPending === true),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  return pending;
}

/** Nobody can sign in yet: the one-time setup link is in the server's terminal output. */
function SetupPendingNotice() {
  return (
    <div className="notice notice-info" role="status" data-testid="setup-pending">
      <p>
        <strong>Firebreak is not set up yet.</strong> Nobody can sign in until the first admin opens the
        one-time setup link that the server printed when it started, in its terminal or its service log (it
        looks like <code>…/welcome#token=fbl_…</code>) and chooses an email and password.
      </p>
      <p>Lost it? Restart Firebreak: until the admin account is set up, every start prints a fresh link.</p>
    </div>
  );
}
