# Vault Agent for iac-runner (deploy/compose.yaml): logs in with AppRole and renders the runner's secrets file.
#
# The Vault address comes from VAULT_ADDR in the container's environment, and the secret's environment from
# BOOTSTRAP_ENV (the template reads it). The AppRole needs one policy, here for BOOTSTRAP_ENV=production:
#
#   path "secret/data/bootstrap/production/iac_runner" { capabilities = ["read"] }

auto_auth {
  method "approle" {
    mount_path = "auth/approle"
    config = {
      role_id_file_path   = "/vault/approle/role_id"
      secret_id_file_path = "/vault/approle/secret_id"
      # The files are mounted read-only and reused after a restart; by default the agent deletes the secret ID file.
      remove_secret_id_file_after_reading = false
    }
  }
}

template_config {
  # A KV v2 secret has no lease: re-read it this often, so a rotated WEBHOOK_SECRET reaches the runner within this
  # interval (the runner re-reads the file when it changes).
  static_secret_render_interval = "5m"
  # Exit (and let the restart policy and `docker ps` show it) instead of retrying forever when Vault refuses the
  # login, the secret is missing, or a required key is missing. The runner keeps the last file it read.
  exit_on_retry_failure = true
}

template {
  source      = "/vault/agent/iac-runner.env.ctmpl"
  destination = "/secrets/.env"
  # Owned by the agent's uid, which is the runner's (compose `user: "1000:1000"`); nobody else may read it.
  perms = "0400"
  # A required key that is missing from the secret fails the render instead of writing "<no value>".
  error_on_missing_key = true
}
