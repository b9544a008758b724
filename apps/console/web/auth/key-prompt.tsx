import { useState } from "react";
import { setKey } from "./key-store";

/**
 * Asks for an API key when the server answered UNAUTHENTICATED, and shows
 * that answer as it came. The key stays in this tab (sessionStorage).
 */
export function KeyPrompt({ error, keySent }: { error: string; keySent: boolean }) {
  const [value, setValue] = useState("");
  return (
    <div className="modal-backdrop">
      <form
        className="modal card"
        aria-label="API key"
        onSubmit={(e) => {
          e.preventDefault();
          if (value) setKey(value);
        }}
      >
        <h2>This control plane needs an API key</h2>
        <p className="error" role="alert" data-testid="auth-error">
          {error}
        </p>
        <p data-testid="auth-cause">{keySent ? "The key entered was refused." : "No key was sent."}</p>
        <p className="muted">The key is kept for this tab only (sessionStorage) and sent as <code>Authorization: Bearer</code> with every call.</p>
        <input type="password" aria-label="API key" autoComplete="off" autoFocus value={value} onChange={(e) => setValue(e.target.value)} placeholder="ORCHESTRATOR_API_KEY" />
        <button type="submit">Use key</button>
      </form>
    </div>
  );
}
