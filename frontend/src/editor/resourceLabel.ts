/** A short, readable name for a Task's Resource: the function name, or the integration and action. */
export function resourceLabel(resource: unknown): string | null {
  if (typeof resource !== "string" || resource === "") return null;
  const fn = /:scf:Invoke\/([^/]+)/.exec(resource) ?? /:lambda:[^:]*:\d*:function:([^:]+)/.exec(resource);
  if (fn) return `ƒ ${fn[1]}`;
  const service = /:states:[^:]*:\d*:(.+)$/.exec(resource);
  if (service) return service[1] as string;
  return resource.length > 28 ? `…${resource.slice(-27)}` : resource;
}
