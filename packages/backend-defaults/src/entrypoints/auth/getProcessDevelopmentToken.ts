import { randomBytes } from 'node:crypto';

let developmentToken: string | undefined;

/**
 * The static token that `backend.auth.developmentToken` enables, generated
 * on first use and kept for the life of the process, so the token printed
 * at start-up stays valid however many backends the process starts.
 */
export function getProcessDevelopmentToken(): string {
  developmentToken ??= randomBytes(24).toString('base64url');
  return developmentToken;
}
