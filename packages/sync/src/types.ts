// Public types of @iac/sync. Each section belongs to one area of the package.

// --- signatures ---

// --- push events ---

// --- config, discovery and mapping ---

// --- config hash, env, plan, release tags ---
export {};
