// Public API of @iac/sdk/testing: MSW fakes of Dokploy and Vault.
export {};
