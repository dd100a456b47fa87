import { SyncError } from "./sync-error.js";

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The text of a file that becomes a Dokploy file mount (which holds text only). */
export function decodeMountText(path: string, bytes: Uint8Array | undefined): string {
  try {
    return UTF8.decode(bytes ?? new Uint8Array());
  } catch {
    throw new SyncError(
      "config_invalid",
      `[@iac/server] cannot mount ${path}: expected UTF-8 text (Dokploy file mounts hold text), received binary content`,
    );
  }
}
