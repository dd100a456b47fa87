/** Promises tests release by hand, to hold work at a chosen point without timing. */

/** Lets every pending promise callback run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A promise the test resolves by hand. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Work that records its start in `started` and returns `name` once the test calls `finish`. */
export function gatedWork(name: string, started: string[]): { work: () => Promise<string>; finish: () => void } {
  const { promise, open } = gate();
  return {
    work: async () => {
      started.push(name);
      await promise;
      return name;
    },
    finish: open,
  };
}
