/**
 * Example workflows offered by "New": the ASW `sum` tutorial and one example per
 * control-flow feature. Kept as JSON text so they load through the same lossless parser
 * as an imported file.
 */
import type { MessageKey } from "../i18n/messages.ts";
import { FUNCTION_RESOURCE } from "./stateTemplates.ts";

export interface Example {
  id: string;
  title: MessageKey;
  description: MessageKey;
  text: string;
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

export const BLANK = json({
  Comment: "A new workflow",
  StartAt: "Start",
  States: { Start: { Type: "Pass", End: true } },
});

export const EXAMPLES: Example[] = [
  {
    id: "sum",
    title: "example.sum.title",
    description: "example.sum.desc",
    text: json({
      Comment: "ASW tutorial: add up a list of numbers with a cloud function",
      StartAt: "sum",
      States: {
        sum: { Type: "Task", Resource: FUNCTION_RESOURCE("sum"), End: true },
      },
    }),
  },
  {
    id: "choice",
    title: "example.choice.title",
    description: "example.choice.desc",
    text: json({
      Comment: "Route an order by its total",
      StartAt: "CheckTotal",
      States: {
        CheckTotal: {
          Type: "Choice",
          Choices: [
            { Variable: "$.total", NumericGreaterThan: 100, Next: "NeedsApproval" },
            { And: [{ Variable: "$.vip", BooleanEquals: true }, { Variable: "$.total", NumericGreaterThan: 0 }], Next: "FastTrack" },
          ],
          Default: "Ship",
        },
        NeedsApproval: { Type: "Pass", Result: { approved: false }, ResultPath: "$.approval", Next: "Ship" },
        FastTrack: { Type: "Pass", Next: "Ship" },
        Ship: { Type: "Succeed" },
      },
    }),
  },
  {
    id: "parallel",
    title: "example.parallel.title",
    description: "example.parallel.desc",
    text: json({
      Comment: "Look up a customer in two systems at once",
      StartAt: "Lookup",
      States: {
        Lookup: {
          Type: "Parallel",
          Branches: [
            { StartAt: "FromCrm", States: { FromCrm: { Type: "Task", Resource: FUNCTION_RESOURCE("crm-lookup"), End: true } } },
            { StartAt: "FromBilling", States: { FromBilling: { Type: "Task", Resource: FUNCTION_RESOURCE("billing-lookup"), End: true } } },
          ],
          ResultPath: "$.profiles",
          Next: "Merge",
        },
        Merge: { Type: "Pass", End: true },
      },
    }),
  },
  {
    id: "map",
    title: "example.map.title",
    description: "example.map.desc",
    text: json({
      Comment: "Resize every image of an album, three at a time",
      StartAt: "EachImage",
      States: {
        EachImage: {
          Type: "Map",
          ItemsPath: "$.images",
          MaxConcurrency: 3,
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Resize",
            States: {
              Resize: { Type: "Task", Resource: FUNCTION_RESOURCE("resize"), Next: "Store" },
              Store: { Type: "Pass", End: true },
            },
          },
          End: true,
        },
      },
    }),
  },
  {
    id: "retry-catch",
    title: "example.retry.title",
    description: "example.retry.desc",
    text: json({
      Comment: "Charge a card: retry on throttling, report any other failure",
      StartAt: "Charge",
      States: {
        Charge: {
          Type: "Task",
          Resource: FUNCTION_RESOURCE("charge"),
          TimeoutSeconds: 30,
          Retry: [{ ErrorEquals: ["Throttled"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2.0 }],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "ReportFailure" }],
          Next: "Done",
        },
        ReportFailure: { Type: "Fail", Error: "PaymentFailed", Cause: "The card could not be charged" },
        Done: { Type: "Succeed" },
      },
    }),
  },
  {
    id: "wait",
    title: "example.wait.title",
    description: "example.wait.desc",
    text: json({
      Comment: "Send a reminder after a delay",
      StartAt: "Delay",
      States: {
        Delay: { Type: "Wait", SecondsPath: "$.delaySeconds", Next: "Remind" },
        Remind: { Type: "Task", Resource: FUNCTION_RESOURCE("send-reminder"), End: true },
      },
    }),
  },
];
