/**
 * Who is signed in. `/api/auth/me/` decides: a user -> the app; anonymous (401/403) -> the
 * sign-in form instead of the page; no server (network error, or a static preview without
 * the API) -> the app in offline mode (the editor works, server pages say they need the API).
 * While the first answer is pending the page renders as usual.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { ApiError, AUTH_LOST_EVENT } from "../api/client.ts";
import { currentUser, login as apiLogin, logout as apiLogout, type User } from "../api/auth.ts";
import { useT } from "../i18n/I18nProvider.tsx";
import "../execution/connected.css";

export type AuthState = "checking" | "signedIn" | "anonymous" | "offline";

interface Auth {
  state: AuthState;
  user: User | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<Auth>({
  state: "offline",
  user: null,
  login: async () => {},
  logout: async () => {},
});

export const useAuth = (): Auth => useContext(AuthContext);

/** Any REST call answered 401 elsewhere in the app asks for the sign-in form again (client.ts sends it). */
export { AUTH_LOST_EVENT };

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>("checking");
  const [user, setUser] = useState<User | null>(null);

  useEffect(() => {
    let current = true;
    currentUser()
      .then((found) => {
        if (!current) return;
        setUser(found);
        setState(found === null ? "anonymous" : "signedIn");
      })
      .catch(() => current && setState("offline"));
    const lost = (): void => {
      setUser(null);
      setState("anonymous");
    };
    window.addEventListener(AUTH_LOST_EVENT, lost);
    return () => {
      current = false;
      window.removeEventListener(AUTH_LOST_EVENT, lost);
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const found = await apiLogin(username, password);
    setUser(found);
    setState("signedIn");
  }, []);

  const logout = useCallback(async () => {
    try {
      await apiLogout();
    } finally {
      setUser(null);
      setState("anonymous");
    }
  }, []);

  const value = useMemo(() => ({ state, user, login, logout }), [state, user, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function LoginForm() {
  const t = useT();
  const { login } = useAuth();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 401 ? t("auth.failed") : failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page login-page" aria-labelledby="login-title">
      <form className="login-form" onSubmit={(event) => void submit(event)} data-testid="login-form">
        <h1 id="login-title">{t("auth.title")}</h1>
        <p className="muted">{t("auth.lead")}</p>
        <label className="field">
          <span>{t("auth.username")}</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus data-testid="login-username" />
        </label>
        <label className="field">
          <span>{t("auth.password")}</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="login-password" />
        </label>
        {error && <p role="alert" className="error-text">{error}</p>}
        <button type="submit" className="primary" disabled={busy} data-testid="login-submit">{t("auth.submit")}</button>
        <p className="muted small">{t("auth.demoHint")}</p>
      </form>
    </section>
  );
}

/** The page, or the sign-in form when the server says nobody is signed in. */
export function AuthGate({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  return state === "anonymous" ? <LoginForm /> : <>{children}</>;
}

/** Header: who is signed in, and sign out. */
export function UserMenu() {
  const t = useT();
  const { state, user, logout } = useAuth();
  if (state === "offline") {
    return <span className="offline-badge" title={t("auth.offline")}>{t("auth.offlineBadge")}</span>;
  }
  if (state !== "signedIn" || user === null) return null;
  return (
    <span className="user-menu">
      <span className="user-name" title={t("auth.signedInAs", { name: user.username })} data-testid="current-user">{user.username}</span>
      <button type="button" onClick={() => void logout()} data-testid="logout">{t("auth.logout")}</button>
    </span>
  );
}
