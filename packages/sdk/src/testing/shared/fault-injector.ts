import { delay, HttpResponse } from "msw";
import type { FaultHandle, FaultRule } from "../types.js";

/** Internal fault list of one fake; `apply` runs before the fake's own handling of a request. */
export interface FaultInjector {
  inject(rule: FaultRule): FaultHandle;
  clear(): void;
  /** Resolves to the injected response, or `undefined` when the request should be handled normally. */
  apply(request: Request, route: string): Promise<Response | undefined>;
}

interface ActiveFault {
  rule: FaultRule;
  hits: number;
}

/**
 * Creates the fault list of a fake. `defaultBody(status)` gives the body of an injected status when the rule has none,
 * so each fake answers in its own error format.
 */
export function createFaultInjector(defaultBody: (status: number) => unknown): FaultInjector {
  let faults: ActiveFault[] = [];

  const matches = (fault: ActiveFault, request: Request, route: string): boolean => {
    const { rule } = fault;
    if (rule.times !== undefined && fault.hits >= rule.times) {
      return false;
    }
    if (rule.method !== undefined && rule.method.toUpperCase() !== request.method) {
      return false;
    }
    if (rule.route === undefined) {
      return true;
    }
    return typeof rule.route === "string" ? rule.route === route : rule.route.test(route);
  };

  return {
    inject(rule: FaultRule): FaultHandle {
      const fault: ActiveFault = { rule, hits: 0 };
      faults.push(fault);
      return {
        hits: () => fault.hits,
        remove(): void {
          faults = faults.filter((f) => f !== fault);
        },
      };
    },
    clear(): void {
      faults = [];
    },
    async apply(request: Request, route: string): Promise<Response | undefined> {
      const fault = faults.find((f) => matches(f, request, route));
      if (!fault) {
        return undefined;
      }
      fault.hits += 1;
      const { rule } = fault;
      if (rule.delayMs !== undefined) {
        await delay(rule.delayMs);
      }
      if (rule.drop) {
        return HttpResponse.error();
      }
      if (rule.status === undefined) {
        return undefined;
      }
      const body = rule.body === undefined ? defaultBody(rule.status) : rule.body;
      const init = { status: rule.status, ...(rule.headers ? { headers: rule.headers } : {}) };
      return typeof body === "string" ? new HttpResponse(body, init) : HttpResponse.json(body as object, init);
    },
  };
}
