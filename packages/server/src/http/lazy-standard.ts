/**
 * Makes `prototype` (of a lightweight class) pass for `standard.prototype` (`Request` or `Response`): it inherits
 * from it, so `instanceof` holds, and every member of the standard class that the lightweight class does not define
 * itself is answered by the real object that `materialize(instance)` builds on first use. The hot path reads only
 * the few members defined by hand and never pays for the real object.
 */
export function delegateToStandard<T extends object>(
  prototype: object,
  standard: { prototype: T },
  materialize: (instance: never) => T,
): void {
  Object.setPrototypeOf(prototype, standard.prototype);
  for (const name of Reflect.ownKeys(standard.prototype)) {
    if (name === "constructor" || name === Symbol.toStringTag || Object.hasOwn(prototype, name)) {
      continue;
    }
    const descriptor = Object.getOwnPropertyDescriptor(standard.prototype, name);
    const real = (self: unknown) => materialize(self as never) as Record<PropertyKey, unknown>;
    Object.defineProperty(
      prototype,
      name,
      typeof descriptor?.value === "function"
        ? {
            value(this: unknown, ...args: unknown[]) {
              return (real(this)[name] as (...values: unknown[]) => unknown)(...args);
            },
          }
        : {
            get(this: unknown) {
              return real(this)[name];
            },
          },
    );
  }
}
