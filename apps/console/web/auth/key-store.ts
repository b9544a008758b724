/**
 * The API key of this tab. Kept in sessionStorage, so it lives as long as
 * the tab and is never shared with other tabs or written to disk by us.
 */
const STORAGE_KEY = "orchestrator.apiKey";

type Listener = () => void;
const listeners = new Set<Listener>();

/** What the console knows about authentication right now. */
export interface AuthState {
  /** The key sent with every call, when one was entered. */
  readonly key: string | undefined;
  /** The last UNAUTHENTICATED answer, shown plainly in the key prompt. */
  readonly error: string | undefined;
  /** Bumped when the key changes: views restart their streams with it. */
  readonly epoch: number;
}

let state: AuthState = { key: sessionStorage.getItem(STORAGE_KEY) ?? undefined, error: undefined, epoch: 0 };

export function authState(): AuthState {
  return state;
}

export function subscribeAuth(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function set(next: AuthState): void {
  state = next;
  for (const l of listeners) l();
}

/** Uses `key` for every call from now on (and restarts the live views). */
export function setKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
  set({ key, error: undefined, epoch: state.epoch + 1 });
}

/** Forgets the key of this tab. */
export function clearKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  set({ key: undefined, error: undefined, epoch: state.epoch + 1 });
}

/** Records that the server refused the key (or the lack of one). */
export function reportUnauthenticated(message: string): void {
  if (state.error === message) return;
  set({ ...state, error: message });
}
