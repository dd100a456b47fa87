// The install-size budget of the published packages, checked by consumer.test.ts and quoted in the root README.
// Raise a number only on purpose, in the same change that explains why.

/**
 * `npm install --omit=dev --ignore-scripts` of the three tarballs into an empty project. Raised from 17.5 MB and 75
 * packages for `GET /metrics`: prom-client brings @opentelemetry/api, tdigest and bintrees, 4 packages and 3.3 MB
 * (bintrees alone 2.4 MB), for 19.9 MB and 75 packages in all. Raised again from 20.5 MB and 79 packages for commit
 * statuses and deployments on GitHub: @octokit/core and its 11 dependencies add 6.1 MB, 5.3 MB of it
 * @octokit/openapi-types (type declarations every Octokit client depends on), for 26.0 MB and 87 packages in all.
 * The smallest Octokit REST client: @octokit/rest is 18.0 MB, and @octokit/plugin-rest-endpoint-methods 6.5 MB more
 * (a second copy of those types), for method names over the same requests.
 */
export const PRODUCTION_INSTALL_BUDGET = {
  /** Bytes of every file below node_modules (better-sqlite3's compiled addon not included: no install scripts). */
  bytes: 26_500_000,
  /** Installed packages, nested copies included (ours among them). */
  packages: 89,
} as const;

/**
 * Compressed size of each tarball, in bytes. The server's was raised from 175 KB to 225 KB for the front door
 * (listener, body budget, limits), the metrics, embedding with `defineSettings` and the self-repairing mirror: its
 * code grew by about a quarter (201 KB measured), its README with it; then to 285 KB for job reports (GitHub statuses
 * and deployments, notifications, automatic rollback), drift detection of every environment and plans on pull
 * requests: 272 KB measured, about 13 KB of it the ESM-only Octokit client bundled into the CommonJS build. The sync package's was raised from 88 KB to 95 KB for the
 * rollback, drift and notification settings and probes (90.3 KB measured: readers, schema and README).
 */
export const TARBALL_BUDGET: Readonly<Record<string, number>> = {
  "@iac/sdk": 115_000,
  "@iac/sync": 95_000,
  "@iac/server": 285_000,
};

/** Packages that only tests use: none of them may come with a production install. */
export const TEST_ONLY_PACKAGES: readonly string[] = ["msw", "ajv", "ajv-formats"];
