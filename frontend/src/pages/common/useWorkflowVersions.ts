/** The versions of the workflow a form has picked (`workflow`: its id as text, "" for none). */
import { useEffect, useState } from "react";
import { listVersions, type VersionOption } from "../../api/executionsList.ts";

export function useWorkflowVersions(workflow: string): VersionOption[] {
  const [versions, setVersions] = useState<VersionOption[]>([]);
  useEffect(() => {
    setVersions([]);
    if (workflow === "") return undefined;
    const controller = new AbortController();
    listVersions(Number(workflow), controller.signal).then(setVersions, () => setVersions([]));
    return () => controller.abort();
  }, [workflow]);
  return versions;
}
