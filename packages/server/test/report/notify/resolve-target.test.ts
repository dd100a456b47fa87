import type { NotifyTarget } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { type ResolvedTarget, resolveTarget } from "../../../src/report/notify/resolve-target.js";

const VARIABLES: Record<string, string> = {
  SLACK_URL: "https://hooks.example.com/services/T/B/x",
  EMPTY: "",
  NOT_A_URL: "hooks.example.com/x",
  FTP_URL: "ftp://hooks.example.com/x",
  WITH_LOGIN: "https://user:pw@hooks.example.com/x",
  KEY: "k",
};

const slack = (url: string): NotifyTarget => ({ type: "slack", url, secret: null, on: "all" });
const webhook = (url: string, secret: string | null): NotifyTarget => ({ type: "webhook", url, secret, on: "all" });

const cases: [string, { given: NotifyTarget; want: ResolvedTarget }][] = [
  [
    "reads a Slack URL from its variable",
    { given: slack("$SLACK_URL"), want: { type: "slack", url: VARIABLES["SLACK_URL"] as string } },
  ],
  [
    "keeps a URL written out",
    {
      given: webhook("https://a.example/x", "$KEY"),
      want: { type: "webhook", url: "https://a.example/x", secret: "k" },
    },
  ],
  [
    "refuses a variable that is not set",
    { given: slack("$UNSET"), want: { type: "refused", reason: "variable $UNSET is not set" } },
  ],
  [
    "refuses an empty variable",
    { given: slack("$EMPTY"), want: { type: "refused", reason: "variable $EMPTY is not set" } },
  ],
  [
    "refuses a value that is not a URL",
    {
      given: slack("$NOT_A_URL"),
      want: { type: "refused", reason: "variable $NOT_A_URL does not hold an http(s) URL" },
    },
  ],
  [
    "refuses a URL of another scheme",
    { given: slack("$FTP_URL"), want: { type: "refused", reason: "variable $FTP_URL does not hold an http(s) URL" } },
  ],
  [
    "refuses a URL with credentials",
    {
      given: slack("$WITH_LOGIN"),
      want: {
        type: "refused",
        reason: "variable $WITH_LOGIN holds a URL with credentials (user:password@), which fetch refuses",
      },
    },
  ],
  [
    "refuses a webhook whose key is not set",
    { given: webhook("$SLACK_URL", "$UNSET"), want: { type: "refused", reason: "variable $UNSET is not set" } },
  ],
  [
    "refuses a written-out URL with only a user name",
    {
      given: slack("https://token@hooks.example/x"),
      want: { type: "refused", reason: "url holds a URL with credentials (user:password@), which fetch refuses" },
    },
  ],
  [
    "refuses a written-out URL with only a password",
    {
      given: slack("https://:secret@hooks.example/x"),
      want: { type: "refused", reason: "url holds a URL with credentials (user:password@), which fetch refuses" },
    },
  ],
  [
    "refuses a written-out URL that is not http(s)",
    { given: slack("ftp://hooks.example/x"), want: { type: "refused", reason: "url does not hold an http(s) URL" } },
  ],
  [
    "refuses a webhook without a key rather than send it unsigned",
    {
      given: webhook("$SLACK_URL", null),
      want: { type: "refused", reason: "a webhook needs a secret ($NAME of its signing key)" },
    },
  ],
];

describe("resolveTarget", () => {
  it.each(cases)("%s", async (_, { given, want }) => {
    expect(await resolveTarget(given, (name) => VARIABLES[name])).toEqual(want);
  });

  it("rejects when the variables cannot be read", async () => {
    const failing = async (): Promise<string> => {
      throw new Error("unreadable");
    };

    await expect(resolveTarget(slack("$SLACK_URL"), failing)).rejects.toThrow("unreadable");
  });
});
