/** A form's error and busy flag: `run(action)` marks it busy while `action` runs and keeps what it throws as the error. */
import { useState } from "react";

export function useFormSubmit(): { error: unknown; setError: (error: unknown) => void; busy: boolean; run: (action: () => Promise<void>) => Promise<void> } {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    try {
      await action();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}
