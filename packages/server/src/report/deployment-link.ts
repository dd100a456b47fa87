/**
 * Where reports link a job: `<publicUrl>/deployments/<id>`, the runner's record of it (`IAC_PUBLIC_URL`, checked by
 * the settings, trailing slashes ignored); undefined when the runner does not know its public URL.
 */
export function deploymentLink(publicUrl: string | undefined, jobId: string): string | undefined {
  return publicUrl === undefined
    ? undefined
    : `${publicUrl.replace(/\/+$/, "")}/deployments/${encodeURIComponent(jobId)}`;
}
