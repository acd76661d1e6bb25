/** Signing in and out of the browser session (`/api/auth/...`). */
import { ApiError, api, resetCsrf } from "./client.ts";

export interface User {
  id: number;
  username: string;
  is_staff: boolean;
}

/** The signed-in user; null when anonymous (401/403). Other failures (no server) reject. */
export async function currentUser(signal?: AbortSignal): Promise<User | null> {
  try {
    return await api<User>("auth/me/", { signal });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

export async function login(username: string, password: string): Promise<User> {
  const user = await api<User>("auth/login/", { body: { username, password } });
  resetCsrf(); // Django rotates the token at login
  return user;
}

export async function logout(): Promise<void> {
  await api<void>("auth/logout/", { method: "POST" });
  resetCsrf();
}
