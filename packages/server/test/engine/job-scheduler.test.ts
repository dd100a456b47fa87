import { describe, expect, it } from "vitest";
import { createJobScheduler, type ScheduledTask } from "../../src/engine/job-scheduler.js";

/** A task that runs until the test finishes it. */
function controlledTask(lane: string, owner: string, log: string[]) {
  let finish = (): void => undefined;
  const task: ScheduledTask = {
    lane,
    owner,
    run: () =>
      new Promise<void>((resolve) => {
        log.push(`start ${owner}`);
        finish = () => {
          log.push(`end ${owner}`);
          resolve();
        };
      }),
    supersede: (by) => log.push(`superseded ${owner} by ${by}`),
    cancel: () => log.push(`cancelled ${owner}`),
  };
  return { task, finish: () => finish() };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("createJobScheduler", () => {
  it("never runs more than `concurrency` tasks nor two tasks of one lane at a time", async () => {
    const log: string[] = [];
    const scheduler = createJobScheduler(2);
    const a = controlledTask("x", "a", log);
    const b = controlledTask("x", "b", log);
    const c = controlledTask("y", "c", log);
    const d = controlledTask("z", "d", log);
    scheduler.submit(a.task);
    await tick();
    for (const { task } of [b, c, d]) {
      scheduler.submit(task);
    }
    await tick();
    expect(log).toEqual(["start a", "start c"]);
    a.finish();
    await tick();
    expect(log).toEqual(["start a", "start c", "end a", "start b"]);
    for (const t of [b, c]) {
      t.finish();
    }
    await tick();
    d.finish();
    await scheduler.idle();
    expect(log.filter((line) => line.startsWith("start"))).toEqual(["start a", "start c", "start b", "start d"]);
  });

  it("supersedes a task submitted before it could start", async () => {
    const log: string[] = [];
    const scheduler = createJobScheduler(1);
    const a = controlledTask("x", "a", log);
    const b = controlledTask("x", "b", log);
    scheduler.submit(a.task);
    scheduler.submit(b.task);
    await tick();
    b.finish();
    await scheduler.idle();
    expect(log).toEqual(["superseded a by b", "start b", "end b"]);
  });

  it("supersedes a waiting task of the same lane with the newer one", async () => {
    const log: string[] = [];
    const scheduler = createJobScheduler(1);
    const a = controlledTask("x", "a", log);
    const b = controlledTask("x", "b", log);
    const c = controlledTask("x", "c", log);
    scheduler.submit(a.task);
    await tick();
    scheduler.submit(b.task);
    scheduler.submit(c.task);
    a.finish();
    await tick();
    c.finish();
    await scheduler.idle();
    expect(log).toEqual(["start a", "superseded b by c", "end a", "start c", "end c"]);
  });

  it("drain cancels waiting tasks and waits for running ones", async () => {
    const log: string[] = [];
    const scheduler = createJobScheduler(1);
    const a = controlledTask("x", "a", log);
    const b = controlledTask("y", "b", log);
    scheduler.submit(a.task);
    scheduler.submit(b.task);
    await tick();
    const drained = scheduler.drain();
    a.finish();
    await drained;
    expect(log).toEqual(["start a", "cancelled b", "end a"]);
  });

  it("rejects a concurrency below 1", () => {
    expect(() => createJobScheduler(0)).toThrow(/expected an integer >= 1, received 0/);
  });
});
