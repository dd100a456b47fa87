import { verify } from "@iac/sync";
import { HttpResponse, http } from "msw";
import { serveHandlers } from "../../helpers/serve-handlers.js";

/** One request a {@link NotifyReceiver} accepted or turned away. */
export interface ReceivedRequest {
  /** The last path segment: which target was called. */
  name: string;
  headers: Record<string, string>;
  raw: string;
  body: unknown;
  /** For a path with a secret: whether `X-Iac-Signature-256` matched it; undefined otherwise. */
  verified: boolean | undefined;
  status: number;
}

/** What the receiver answers on one path: statuses in turn (then 200), `"drop"` to close the socket, `"hang"` never. */
export type Answer = number | "drop" | "hang";

/**
 * Notification targets on a real loopback port: `url(name)` is `http://127.0.0.1:<port>/<name>`. A name with a
 * secret checks the signature over the raw body, as a receiver should, and answers 401 when it does not match.
 */
export interface NotifyReceiver {
  url(name: string): string;
  secret(name: string, secret: string): void;
  answer(name: string, ...answers: Answer[]): void;
  readonly received: ReceivedRequest[];
  /** The `X-Iac-Delivery` of every request that arrived, answered or not, by path name. */
  readonly arrived: { name: string; delivery: string | null }[];
  /** Accepted requests (2xx) to `name`. */
  accepted(name: string): ReceivedRequest[];
  close(): Promise<void>;
}

export async function serveNotifyReceiver(): Promise<NotifyReceiver> {
  const secrets = new Map<string, string>();
  const answers = new Map<string, Answer[]>();
  const received: ReceivedRequest[] = [];
  const arrived: NotifyReceiver["arrived"][number][] = [];
  const served = await serveHandlers(
    (origin) => origin,
    (origin) => [
      http.post(`${origin}/:name`, async ({ request, params }) => {
        const name = String(params["name"]);
        arrived.push({ name, delivery: request.headers.get("x-iac-delivery") });
        const raw = await request.text();
        const secret = secrets.get(name);
        const signature = request.headers.get("x-iac-signature-256");
        const verified = secret === undefined ? undefined : await verify(secret, raw, signature);
        const next = answers.get(name)?.shift() ?? 200;
        if (next === "hang") {
          return new Promise<never>(() => undefined);
        }
        if (next === "drop") {
          return HttpResponse.error();
        }
        const status = verified === false ? 401 : next;
        received.push({
          name,
          headers: Object.fromEntries(request.headers),
          raw,
          body: JSON.parse(raw),
          verified,
          status,
        });
        return new HttpResponse(status < 300 ? "ok" : "no", { status });
      }),
    ],
  );
  return {
    url: (name) => `${served.fake}/${name}`,
    secret: (name, secret) => void secrets.set(name, secret),
    answer: (name, ...list) => void answers.set(name, list),
    received,
    arrived,
    accepted: (name) => received.filter((entry) => entry.name === name && entry.status < 300),
    close: served.close,
  };
}
