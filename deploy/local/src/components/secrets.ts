import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackSettings } from '../settings';

/**
 * The stack's secrets: one file each in <stateDir>/secrets (readable by its owner only), the way
 * container platforms mount them at /run/secrets. A service is given a path (X_FILE), not the value,
 * so no password sits in a process's environment or on its command line.
 */
export const secretsDir = (s: StackSettings): string => join(s.stateDir, 'secrets');

/** Where a secret is (whether or not it has been made yet). */
export const secretPath = (s: StackSettings, name: string): string => join(secretsDir(s), name);

export const hasSecret = (s: StackSettings, name: string): boolean => existsSync(secretPath(s, name));

/** A secret's value: a random password, made on first use and kept for the life of the state directory. */
export function secret(s: StackSettings, name: string): string {
  const path = secretPath(s, name);
  if (!existsSync(path)) {
    mkdirSync(secretsDir(s), { recursive: true, mode: 0o700 });
    writeFileSync(path, randomBytes(18).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(path, 'utf8');
}

/** A connection URL carrying a user's password. */
export function withPassword(url: string, password: string): string {
  const credentialed = new URL(url);
  credentialed.password = password;
  return credentialed.toString();
}
