/**
 * What the palette offers: the eight state types and the Task presets. Each item builds
 * a fresh state object (ordered as an author would write it) and names the base of the
 * new state's name.
 */
import type { JsonObject } from "@orchestrator/designer";
import type { MessageKey } from "../i18n/messages.ts";

export interface PaletteItem {
  id: string;
  group: "flow" | "task";
  /** The state type the item creates (drives colour and icon). */
  type: StateTypeName;
  label: MessageKey;
  description: MessageKey;
  baseName: string;
  template: () => JsonObject;
}

export type StateTypeName = "Task" | "Pass" | "Choice" | "Wait" | "Succeed" | "Fail" | "Parallel" | "Map";

/** The TCSL resource of a cloud function (ASW's SCF invoke integration). */
export const FUNCTION_RESOURCE = (name: string): string =>
  `qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/${name}`;

const end = { End: true } as const;

const branch = (start: string): JsonObject => ({ StartAt: start, States: { [start]: { Type: "Pass", End: true } } });

export const STATE_ITEMS: PaletteItem[] = [
  {
    id: "Task", group: "flow", type: "Task", label: "type.Task", description: "palette.desc.Task", baseName: "Task",
    template: () => ({ Type: "Task", Resource: FUNCTION_RESOURCE("my-function"), ...end }),
  },
  {
    id: "Pass", group: "flow", type: "Pass", label: "type.Pass", description: "palette.desc.Pass", baseName: "Pass",
    template: () => ({ Type: "Pass", ...end }),
  },
  {
    id: "Choice", group: "flow", type: "Choice", label: "type.Choice", description: "palette.desc.Choice", baseName: "Choice",
    template: () => ({ Type: "Choice", Choices: [] }),
  },
  {
    id: "Wait", group: "flow", type: "Wait", label: "type.Wait", description: "palette.desc.Wait", baseName: "Wait",
    template: () => ({ Type: "Wait", Seconds: 5, ...end }),
  },
  {
    id: "Succeed", group: "flow", type: "Succeed", label: "type.Succeed", description: "palette.desc.Succeed", baseName: "Succeed",
    template: () => ({ Type: "Succeed" }),
  },
  {
    id: "Fail", group: "flow", type: "Fail", label: "type.Fail", description: "palette.desc.Fail", baseName: "Fail",
    template: () => ({ Type: "Fail", Error: "Failed", Cause: "" }),
  },
  {
    id: "Parallel", group: "flow", type: "Parallel", label: "type.Parallel", description: "palette.desc.Parallel", baseName: "Parallel",
    template: () => ({
      Type: "Parallel",
      Branches: [branch("Branch1"), branch("Branch2")],
      ...end,
    }),
  },
  {
    id: "Map", group: "flow", type: "Map", label: "type.Map", description: "palette.desc.Map", baseName: "Map",
    template: () => ({
      Type: "Map",
      ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "Item", States: { Item: { Type: "Pass", End: true } } },
      ...end,
    }),
  },
];

export const TASK_PRESETS: PaletteItem[] = [
  {
    id: "task.function", group: "task", type: "Task", label: "palette.function", description: "palette.desc.function", baseName: "Invoke",
    template: () => ({ Type: "Task", Resource: FUNCTION_RESOURCE("my-function"), ...end }),
  },
  {
    id: "task.http", group: "task", type: "Task", label: "palette.http", description: "palette.desc.http", baseName: "CallApi",
    template: () => ({
      Type: "Task",
      Resource: "arn:aws:states:::http:invoke",
      Parameters: { ApiEndpoint: "https://example.com/api", Method: "POST", "RequestBody.$": "$" },
      ...end,
    }),
  },
  {
    id: "task.workflow", group: "task", type: "Task", label: "palette.workflow", description: "palette.desc.workflow", baseName: "RunWorkflow",
    template: () => ({
      Type: "Task",
      Resource: "arn:aws:states:::states:startExecution.sync:2",
      Parameters: { StateMachineArn: "", "Input.$": "$" },
      ...end,
    }),
  },
  {
    id: "task.callback", group: "task", type: "Task", label: "palette.callback", description: "palette.desc.callback", baseName: "WaitForCallback",
    template: () => ({
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "my-function", Payload: { "input.$": "$", "token.$": "$$.Task.Token" } },
      HeartbeatSeconds: 300,
      ...end,
    }),
  },
  {
    id: "task.celery", group: "task", type: "Task", label: "palette.celery", description: "palette.desc.celery", baseName: "CeleryTask",
    template: () => ({
      Type: "Task",
      Resource: "arn:aws:states:::celery:task.sync",
      Parameters: { TaskName: "tasks.process", "Kwargs.$": "$" },
      ...end,
    }),
  },
];

export const PALETTE: PaletteItem[] = [...STATE_ITEMS, ...TASK_PRESETS];

export const paletteItem = (id: string): PaletteItem | undefined => PALETTE.find((item) => item.id === id);

/** The drag-and-drop payload type (so foreign drags are ignored). */
export const PALETTE_MIME = "application/x-orchestrator-state";
