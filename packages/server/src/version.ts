import packageJson from "../package.json" with { type: "json" };

/** The version of `@iac/server`, reported by `/health` and `iac-runner --version`. */
export const version: string = packageJson.version;
