import type { DokployDeployCall, DokployDeployOptions, DokployDeploySnapshot, DokployState } from "../types.js";
import { deployFailure } from "./deploy-failure.js";
import { deploymentRow } from "./rows.js";

/** The fake's stand-in for Dokploy's BullMQ deployments queue and worker. */
export interface DeployWorker {
  enqueue(call: Pick<DokployDeployCall, "kind" | "composeId" | "title" | "description">): DokployDeployCall;
  /** One worker step for every compose with work: finish its running job when due, else pick up its next job. */
  step(): void;
  /** A status poll arrived: steps in `auto` and `stuck` modes. */
  poll(): void;
  runAll(): DokployDeployCall[];
  configure(options: DokployDeployOptions): void;
  /** Drops the queued jobs of a compose (`cleanQueuesByCompose`); they end as `cancelled` without a row. */
  dropQueued(composeId: string): void;
  /**
   * `compose.killBuild`: kills every running compose build on the host, not only that compose's; their deployments
   * end `error`. Queued jobs stay queued.
   */
  killRunning(): void;
  /** A Dokploy restart: running deployments become `cancelled` and the in-memory queue is lost. */
  restart(): void;
}

/** `errorMessage` of a deployment whose build `compose.killBuild` killed. */
const KILLED_MESSAGE = "Build killed";

const DEFAULT_ERROR = "Error occurred, check the logs for details.";

/** Creates the worker; jobs of one compose run one at a time, in call order, like Dokploy's queue. */
export function createDeployWorker(
  state: DokployState,
  stamp: () => string,
  initial: DokployDeployOptions,
): DeployWorker {
  const options: Required<{ [K in keyof DokployDeployOptions]: NonNullable<DokployDeployOptions[K]> }> = {
    mode: "manual",
    outcome: "done",
    afterPolls: 1,
    errorMessage: DEFAULT_ERROR,
  };

  const configure = (next: DokployDeployOptions): void => {
    for (const [key, value] of Object.entries(next)) {
      if (value !== undefined) {
        Object.assign(options, { [key]: value });
      }
    }
  };
  configure(initial);

  const pending = (): DokployDeployCall[] =>
    state.deployCalls.filter((call) => call.status === "queued" || call.status === "running");

  const pickUp = (call: DokployDeployCall): void => {
    const compose = state.composes.get(call.composeId);
    if (!compose) {
      // The worker's findComposeById throws before any deployment row exists.
      call.status = "error";
      return;
    }
    compose.composeStatus = "running";
    const row = deploymentRow({ composeId: call.composeId, title: call.title, description: call.description }, stamp());
    state.deployments.set(row.deploymentId, row);
    const belongs = (item: { composeId: string | null }): boolean => item.composeId === call.composeId;
    call.status = "running";
    call.deploymentId = row.deploymentId;
    call.snapshot = structuredClone({
      compose,
      mounts: [...state.mounts.values()].filter(belongs),
      domains: [...state.domains.values()].filter(belongs),
    });
  };

  const finish = (call: DokployDeployCall, snapshot: DokployDeploySnapshot): void => {
    const failure = deployFailure(snapshot);
    const chosen = typeof options.outcome === "function" ? options.outcome(snapshot.compose, call) : options.outcome;
    const outcome = failure === undefined ? chosen : "error";
    call.status = outcome;
    const row = call.deploymentId ? state.deployments.get(call.deploymentId) : undefined;
    if (row) {
      row.status = outcome;
      row.finishedAt = stamp();
      row.errorMessage = outcome === "error" ? (failure ?? options.errorMessage) : null;
    }
    const compose = state.composes.get(call.composeId);
    if (compose) {
      compose.composeStatus = outcome;
    }
  };

  const step = (): void => {
    const work = pending();
    for (const composeId of new Set(work.map((call) => call.composeId))) {
      const running = work.find((call) => call.composeId === composeId && call.status === "running");
      if (running) {
        if (options.mode !== "stuck") {
          running.steps += 1;
          if (running.steps >= options.afterPolls && running.snapshot) {
            finish(running, running.snapshot);
          }
        }
        continue;
      }
      const next = work.find((call) => call.composeId === composeId);
      if (next) {
        pickUp(next);
      }
    }
  };

  return {
    enqueue(input) {
      const call: DokployDeployCall = {
        ...input,
        calledAt: stamp(),
        status: "queued",
        deploymentId: null,
        steps: 0,
        snapshot: null,
      };
      state.deployCalls.push(call);
      return call;
    },
    step,
    poll(): void {
      if (options.mode !== "manual") {
        step();
      }
    },
    runAll(): DokployDeployCall[] {
      const before = new Set(pending());
      if (options.mode === "stuck") {
        step();
        if (pending().length > 0) {
          throw new Error(
            `[@iac/sdk] runDeployments: expected deployments to finish, received ${pending().length} that never will (deploy mode "stuck")`,
          );
        }
      }
      // Outside stuck mode every step advances each compose with work, so this ends.
      while (pending().length > 0) {
        step();
      }
      return state.deployCalls.filter((call) => before.has(call) && !pending().includes(call));
    },
    configure,
    dropQueued(composeId: string): void {
      for (const call of pending()) {
        if (call.composeId === composeId && call.status === "queued") {
          call.status = "cancelled";
        }
      }
    },
    killRunning(): void {
      for (const call of pending()) {
        if (call.status !== "running") {
          continue;
        }
        call.status = "error";
        const row = call.deploymentId ? state.deployments.get(call.deploymentId) : undefined;
        if (row) {
          row.status = "error";
          row.finishedAt = stamp();
          row.errorMessage = KILLED_MESSAGE;
        }
        const compose = state.composes.get(call.composeId);
        if (compose) {
          compose.composeStatus = "error";
        }
      }
    },
    restart(): void {
      for (const call of pending()) {
        const row = call.deploymentId ? state.deployments.get(call.deploymentId) : undefined;
        if (row) {
          row.status = "cancelled";
        }
        call.status = "cancelled";
      }
    },
  };
}
