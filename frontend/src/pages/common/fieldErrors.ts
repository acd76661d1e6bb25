/**
 * Errors that name a form field: the server's (`ApiError.field`, e.g. "cron_expression")
 * and the page's own checks (`FieldProblem`). A form shows such an error next to the field
 * it names when that field is on screen, else in the form's error line.
 */
import { ApiError } from "../../api/client.ts";
import type { Translate } from "../../i18n/I18nProvider.tsx";
import { errorMessage } from "./ui.tsx";

/** A problem the page found before asking the server, about one field. */
export class FieldProblem extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = "FieldProblem";
  }
}

/** The field an error names, if any. */
export function errorField(error: unknown): string | undefined {
  if (error instanceof FieldProblem) return error.field;
  if (error instanceof ApiError) return error.field || undefined;
  return undefined;
}

/** An error's message as shown beside its field: without "Invalid schedule: " and "<field>: ". */
export function fieldMessage(error: unknown, t: Translate): string {
  if (error instanceof FieldProblem) return error.message;
  const field = errorField(error);
  let text = error instanceof ApiError ? error.message : errorMessage(error, t);
  text = text.replace(/^Invalid [a-z ]+?: /, "");
  if (field !== undefined && text.startsWith(`${field}: `)) text = text.slice(field.length + 2);
  return text;
}

export interface FieldErrors {
  /** The message to show beside `field`, or undefined. */
  at: (field: string) => string | undefined;
  /** The error for the form's error line: undefined when it is shown beside a field. */
  rest: unknown;
}

/** Splits `error` between the fields on screen (`shown`) and the form's error line. */
export function fieldErrors(error: unknown, shown: readonly string[], t: Translate): FieldErrors {
  const field = errorField(error);
  const onField = field !== undefined && shown.includes(field) ? field : undefined;
  const message = onField === undefined ? undefined : fieldMessage(error, t);
  return {
    at: (name) => (name === onField ? message : undefined),
    rest: onField === undefined ? error : undefined,
  };
}
