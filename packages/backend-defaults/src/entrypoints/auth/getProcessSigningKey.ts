import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { JwsSigningKey } from './jws/JwsKey';

let processKey: Extract<JwsSigningKey, { alg: 'EdDSA' }> | undefined;

/**
 * The Ed25519 key pair that signs tokens when no `backend.auth.keys` are
 * configured, generated on first use and kept for the life of the process,
 * so every backend and plugin in the process verifies the others' tokens.
 */
export function getProcessSigningKey(): Extract<
  JwsSigningKey,
  { alg: 'EdDSA' }
> {
  if (!processKey) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    processKey = { alg: 'EdDSA', kid: randomUUID(), publicKey, privateKey };
  }
  return processKey;
}
