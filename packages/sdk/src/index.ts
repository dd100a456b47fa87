/** Placeholder until the package lands. */
export const version: string = "0.0.0";
