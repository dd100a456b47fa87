// Public API of @iac/sync. Explicit named re-exports only; each section is owned by one area of the package.

// --- signatures ---

// --- push events ---

// --- config, discovery and mapping ---

// --- config hash, env, plan, release tags ---
