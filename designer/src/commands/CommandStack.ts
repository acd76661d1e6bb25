/**
 * An undo/redo command stack modelled on diagram-js's CommandStack
 * (bpmn-io/diagram-js lib/command/CommandStack.js), for an immutable state.
 *
 * - Every edit is a named command run by a registered handler: optional `canExecute`
 *   (true, or a reason it is refused), `preExecute`, `execute` (returns the new state),
 *   `postExecute`.
 * - Commands executed from `preExecute`/`postExecute` join the running command: they
 *   are undone and redone with it as one step (e.g. "remove state" = re-wire the
 *   incoming transitions + remove the state).
 * - An atomic guard refuses `execute()` from inside a handler's `execute`.
 * - Revert is a memento: the state before the step. States are immutable and share
 *   unchanged sub-trees, so a memento costs only the changed path, and undo gives back
 *   exactly the previous state (no hand-written inverse can drift from `execute`).
 * - A failing handler rolls the whole step back; the stack is left as it was.
 * - Listeners get a `changed` event after each execute/undo/redo/reset.
 */

export interface CommandHandler<S, C = unknown> {
  /** `true` when the command may run; otherwise `false` or the reason it may not. */
  canExecute?(state: S, context: C): boolean | string;
  preExecute?(context: C, stack: CommandStack<S>): void;
  execute(state: S, context: C): S;
  postExecute?(context: C, stack: CommandStack<S>): void;
}

export interface Operation<S> {
  command: string;
  context: unknown;
  before: S;
  after: S;
}

/** One undoable step: the outer command and the commands it ran, in order. */
export interface Step<S> {
  id: number;
  command: string;
  operations: Operation<S>[];
}

export type ChangeTrigger = "execute" | "undo" | "redo" | "reset";

export interface ChangedEvent<S> {
  trigger: ChangeTrigger;
  /** The step's outer command (null for reset). */
  command: string | null;
  state: S;
  previous: S;
}

export type ChangedListener<S> = (event: ChangedEvent<S>) => void;

export class CommandRefusedError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`${command}: ${reason}`);
    this.name = "CommandRefusedError";
  }
}

export class CommandStack<S> {
  private current: S;
  private readonly handlers = new Map<string, CommandHandler<S, never>>();
  private readonly undoSteps: Step<S>[] = [];
  private readonly redoSteps: Step<S>[] = [];
  private readonly listeners = new Set<ChangedListener<S>>();
  private running: Step<S> | null = null;
  private inHandlerExecute = false;
  private lastId = 0;

  constructor(initial: S) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  register<C>(command: string, handler: CommandHandler<S, C>): this {
    if (this.handlers.has(command)) throw new Error(`A handler for ${command} is already registered`);
    this.handlers.set(command, handler as CommandHandler<S, never>);
    return this;
  }

  /** `true`, or the reason the command cannot run on the current state. */
  canExecute<C>(command: string, context: C): true | string {
    const handler = this.handlerFor<C>(command);
    const verdict = handler.canExecute ? handler.canExecute(this.current, context) : true;
    if (verdict === true) return true;
    return verdict === false ? "not allowed here" : verdict;
  }

  execute<C>(command: string, context: C): S {
    if (this.inHandlerExecute) {
      throw new Error(`${command}: cannot execute a command from inside another command's execute()`);
    }
    const handler = this.handlerFor<C>(command);
    const verdict = this.canExecute(command, context);
    if (verdict !== true) throw new CommandRefusedError(command, verdict);

    const outer = this.running === null;
    const start = this.current;
    const step: Step<S> = this.running ?? { id: ++this.lastId, command, operations: [] };
    this.running = step;
    try {
      handler.preExecute?.(context, this);
      const before = this.current;
      this.inHandlerExecute = true;
      const after = handler.execute(before, context);
      this.inHandlerExecute = false;
      this.current = after;
      step.operations.push({ command, context, before, after });
      handler.postExecute?.(context, this);
    } catch (error) {
      this.inHandlerExecute = false;
      if (outer) {
        this.current = start;
        this.running = null;
      }
      throw error;
    }
    if (outer) {
      this.running = null;
      this.undoSteps.push(step);
      this.redoSteps.length = 0;
      this.emit({ trigger: "execute", command, state: this.current, previous: start });
    }
    return this.current;
  }

  canUndo(): boolean {
    return this.undoSteps.length > 0;
  }

  canRedo(): boolean {
    return this.redoSteps.length > 0;
  }

  undo(): S {
    this.assertIdle("undo");
    const step = this.undoSteps.pop();
    if (step === undefined) return this.current;
    const previous = this.current;
    this.current = (step.operations[0] as Operation<S>).before;
    this.redoSteps.push(step);
    this.emit({ trigger: "undo", command: step.command, state: this.current, previous });
    return this.current;
  }

  redo(): S {
    this.assertIdle("redo");
    const step = this.redoSteps.pop();
    if (step === undefined) return this.current;
    const previous = this.current;
    this.current = (step.operations[step.operations.length - 1] as Operation<S>).after;
    this.undoSteps.push(step);
    this.emit({ trigger: "redo", command: step.command, state: this.current, previous });
    return this.current;
  }

  /** Replace the state and forget the history (e.g. after loading another definition). */
  reset(state: S): void {
    this.assertIdle("reset");
    const previous = this.current;
    this.current = state;
    this.undoSteps.length = 0;
    this.redoSteps.length = 0;
    this.emit({ trigger: "reset", command: null, state, previous });
  }

  /** The steps that `undo()` would revert, oldest first. */
  history(): readonly Step<S>[] {
    return this.undoSteps;
  }

  on(listener: ChangedListener<S>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private handlerFor<C>(command: string): CommandHandler<S, C> {
    const handler = this.handlers.get(command);
    if (handler === undefined) throw new Error(`No handler registered for ${command}`);
    return handler as CommandHandler<S, C>;
  }

  private assertIdle(action: string): void {
    if (this.running !== null) throw new Error(`Cannot ${action} while a command is running`);
  }

  private emit(event: ChangedEvent<S>): void {
    for (const listener of this.listeners) listener(event);
  }
}
