/**
 * The palette's Task presets use the resource forms and parameter names the backend
 * implements (docs/resources.md, docs/runtime.md), so a dropped preset runs once filled in.
 */
import { describe, expect, it } from "vitest";
import { TASK_PRESETS } from "../src/editor/stateTemplates.ts";

const preset = (id: string) => {
  const item = TASK_PRESETS.find((candidate) => candidate.id === id);
  if (!item) throw new Error(`no preset ${id}`);
  return item.template() as { Resource: string; Parameters?: Record<string, unknown> };
};

describe("Task presets", () => {
  it("send a Celery task by TaskName through celery:task.sync", () => {
    const task = preset("task.celery");
    expect(task.Resource).toBe("arn:aws:states:::celery:task.sync");
    expect(Object.keys(task.Parameters ?? {})).toEqual(["TaskName", "Kwargs.$"]);
  });

  it("call an HTTP API with ApiEndpoint and Method", () => {
    const task = preset("task.http");
    expect(task.Resource).toBe("arn:aws:states:::http:invoke");
    expect(task.Parameters).toMatchObject({ ApiEndpoint: expect.stringMatching(/^https?:\/\//), Method: "POST" });
  });

  it("start a child workflow by StateMachineArn and wait for it", () => {
    const task = preset("task.workflow");
    expect(task.Resource).toBe("arn:aws:states:::states:startExecution.sync:2");
    expect(Object.keys(task.Parameters ?? {})).toEqual(["StateMachineArn", "Input.$"]);
  });

  it("pass the task token to a function and wait for the callback", () => {
    const task = preset("task.callback");
    expect(task.Resource).toBe("arn:aws:states:::lambda:invoke.waitForTaskToken");
    expect(task.Parameters).toMatchObject({ FunctionName: expect.any(String), Payload: { "token.$": "$$.Task.Token" } });
  });
});
