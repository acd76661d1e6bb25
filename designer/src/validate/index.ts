export { Code, Severity, type Diagnostic } from "./codes.ts";
export { validateDefinition, validateText, type ValidateOptions } from "./validate.ts";
export { locate, mapDiagnostics, type DiagnosticIndex, type DiagnosticTarget, type LocatedDiagnostic } from "./locate.ts";
