/**
 * The ops inventory (nodes and SSH keys, admin only) and the Ops-Runner's credential release.
 * A private key never leaves the hub except once, to the agent running an approved command on that node.
 */

/** An SSH key in the vault: the public half only. */
export interface SshKeyDto {
  id: number;
  name: string;
  /** `ssh-ed25519 AAAA… name`, as in authorized_keys. */
  publicKey: string;
  /** `SHA256:…`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256… */
  keyType: string;
  /** Names of the nodes that use it (a key in use cannot be deleted). */
  usedBy: string[];
  createdByName: string;
  createdAt: string;
}

/** Add a private key (OpenSSH or PEM) or, with `generate: true`, have the hub create an ed25519 pair. */
export interface CreateSshKeyRequest {
  name: string;
  generate?: boolean;
  privateKey?: string;
  passphrase?: string;
}

export interface OpsNodeDto {
  id: number;
  name: string;
  host: string;
  port: number;
  username: string;
  keyId: number;
  keyName: string;
  tags: string[];
  description: string | null;
  /** The pinned host key (`SHA256:…`); null until an admin confirmed the first one seen. */
  hostKeyFingerprint: string | null;
  hostKeyConfirmedByName: string | null;
  hostKeyConfirmedAt: string | null;
  createdAt: string;
}

export interface CreateOpsNodeRequest {
  name: string;
  host: string;
  port?: number;
  username: string;
  keyId: number;
  tags?: string[];
  description?: string | null;
}

export type UpdateOpsNodeRequest = Partial<CreateOpsNodeRequest>;

/** "Test connection": a real SSH handshake and authentication. */
export interface NodeTestResult {
  ok: boolean;
  /** Milliseconds from connecting to authenticated. */
  rttMs: number | null;
  /** The host key the server presented. */
  hostKeyFingerprint: string | null;
  /** true: it is the pinned key. false: none pinned yet (confirm it) or a different one (HOST_KEY_MISMATCH). */
  hostKeyPinned: boolean;
  /** Set when ok is false: HOST_KEY_MISMATCH, AUTH_FAILED, UNREACHABLE… and a message. */
  errorCode: string | null;
  error: string | null;
}

/** Pins the host key a test showed; the fingerprint must be the one the admin read. */
export interface ConfirmHostKeyRequest {
  fingerprint: string;
}

/** The nodes a running command of this agent targets (Ops-Runner, agent token). */
export interface OpsTargetDto {
  name: string;
  host: string;
  port: number;
}

/** Released once per (command, node) to the agent running it. */
export interface NodeCredentialDto {
  node: string;
  host: string;
  port: number;
  username: string;
  privateKey: string;
  passphrase: string | null;
  /** The agent refuses any other host key. */
  hostKeyFingerprint: string;
}

/**
 * `POST /api/ops/agent/credentials`. With it (and with `GET …/targets`) the agent sends the header
 * `X-Agent-Instance: <instance>`, the id its process claimed the command with (`command:claim`): the hub
 * answers only the process that claimed the command, not another one holding the same agent token.
 */
export interface NodeCredentialRequest {
  commandId: number;
  node: string;
}
