import { randomId, randomSuffix } from "../shared/random-id.js";
import type {
  DokployComposeRow,
  DokployDeploymentRow,
  DokployDomainRow,
  DokployEnvironmentRow,
  DokployMountRow,
  DokployProjectRow,
} from "../types.js";

// Column defaults of Dokploy's drizzle schema (packages/server/src/db/schema), so rows match what the database returns.

/** A project row with Dokploy's column defaults. */
export function projectRow(input: Partial<DokployProjectRow> & { name: string }, createdAt: string): DokployProjectRow {
  return {
    projectId: randomId(),
    description: null,
    createdAt,
    organizationId: "",
    env: "",
    ...input,
  };
}

/** An environment row with Dokploy's column defaults. */
export function environmentRow(
  input: Partial<DokployEnvironmentRow> & { name: string; projectId: string },
  createdAt: string,
): DokployEnvironmentRow {
  return { environmentId: randomId(), description: null, createdAt, env: "", isDefault: false, ...input };
}

/** A compose row with Dokploy's column defaults (note `sourceType: "github"` and `autoDeploy: true`). */
export function composeRow(
  input: Partial<DokployComposeRow> & { name: string; environmentId: string },
  createdAt: string,
): DokployComposeRow {
  return {
    composeId: randomId(),
    appName: `compose-${randomSuffix(6)}`,
    description: null,
    env: null,
    composeFile: "",
    refreshToken: randomId(),
    sourceType: "github",
    composeType: "docker-compose",
    repository: null,
    owner: null,
    branch: null,
    autoDeploy: true,
    gitlabProjectId: null,
    gitlabRepository: null,
    gitlabOwner: null,
    gitlabBranch: null,
    gitlabPathNamespace: null,
    bitbucketRepository: null,
    bitbucketRepositorySlug: null,
    bitbucketOwner: null,
    bitbucketBranch: null,
    giteaRepository: null,
    giteaOwner: null,
    giteaBranch: null,
    customGitUrl: null,
    customGitBranch: null,
    customGitSSHKeyId: null,
    command: "",
    createEnvFile: true,
    enableSubmodules: false,
    composePath: "./docker-compose.yml",
    suffix: "",
    randomize: false,
    isolatedDeployment: false,
    isolatedDeploymentsVolume: false,
    triggerType: "push",
    composeStatus: "idle",
    icon: null,
    createdAt,
    watchPaths: null,
    githubId: null,
    gitlabId: null,
    bitbucketId: null,
    giteaId: null,
    serverId: null,
    serviceNetworks: null,
    ...input,
  };
}

/** A deployment row as `createDeploymentCompose` inserts it (status `running`). */
export function deploymentRow(
  input: Partial<DokployDeploymentRow> & { composeId: string },
  createdAt: string,
): DokployDeploymentRow {
  const deploymentId = input.deploymentId ?? randomId();
  return {
    deploymentId,
    title: "Manual deployment",
    description: "",
    status: "running",
    logPath: `/etc/dokploy/logs/${input.composeId}/${deploymentId}.log`,
    pid: null,
    applicationId: null,
    serverId: null,
    isPreviewDeployment: false,
    previewDeploymentId: null,
    createdAt,
    startedAt: createdAt,
    finishedAt: null,
    errorMessage: null,
    scheduleId: null,
    backupId: null,
    rollbackId: null,
    volumeBackupId: null,
    buildServerId: null,
    ...input,
  };
}

/** A mount row; `composeId` is filled from `serviceId` the way `createMount` does for compose mounts. */
export function mountRow(
  input: Partial<DokployMountRow> & Pick<DokployMountRow, "type" | "mountPath">,
): DokployMountRow {
  return {
    mountId: randomId(),
    hostPath: null,
    volumeName: null,
    filePath: null,
    content: null,
    serviceType: "application",
    applicationId: null,
    postgresId: null,
    mariadbId: null,
    mongoId: null,
    mysqlId: null,
    redisId: null,
    composeId: null,
    libsqlId: null,
    ...input,
  };
}

/** A domain row with Dokploy's column defaults. */
export function domainRow(
  input: Partial<DokployDomainRow> & { host: string; uniqueConfigKey: number },
  createdAt: string,
): DokployDomainRow {
  return {
    domainId: randomId(),
    https: false,
    port: 3000,
    path: "/",
    serviceName: null,
    domainType: "application",
    customEntrypoint: null,
    createdAt,
    composeId: null,
    customCertResolver: null,
    applicationId: null,
    previewDeploymentId: null,
    certificateType: "none",
    internalPath: "/",
    stripPath: false,
    middlewares: null,
    forwardAuthEnabled: false,
    ...input,
  };
}
