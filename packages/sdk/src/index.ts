// Public API of @iac/sdk. Explicit named re-exports only.
export {};
