import { readFileSync } from 'node:fs';
import type { ConfigService } from '@nestjs/config';
import type { BaseEnv } from './env';

const FILE_SUFFIX = '_FILE';

/**
 * The secret-file convention of container platforms: `X_FILE=/run/secrets/x` sets X, one of the
 * service's variables (`names`), to that file's content (its trailing newline dropped), so a password
 * need not sit in the environment. Setting both X and X_FILE is an error: which wins would be a guess.
 */
export function withSecretFiles(env: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const resolved = { ...env };
  for (const target of names) {
    const name = `${target}${FILE_SUFFIX}`;
    const path = env[name];
    if (typeof path !== 'string' || path === '') continue;
    const value = readSecret(name, path);
    // @nestjs/config copies what it validated into process.env: a later parse finds X beside X_FILE, equal.
    if (env[target] !== undefined && env[target] !== value) {
      throw new Error(`Invalid environment: both ${target} and ${name} are set; set one`);
    }
    resolved[target] = value;
  }
  return resolved;
}

function readSecret(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new Error(`Invalid environment: ${name} names ${path}, which cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** A connection URL with a password added (kept out of the URL in configuration, so URLs can be logged and shown). */
export function withPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const credentialed = new URL(url);
  credentialed.password = encodeURIComponent(password);
  return credentialed.toString();
}

/** This service's Redis, as its own ACL user: REDIS_URL with REDIS_PASSWORD. */
export const redisUrlFromConfig = (config: ConfigService<BaseEnv, true>): string =>
  withPassword(config.get('REDIS_URL', { infer: true }), config.get('REDIS_PASSWORD', { infer: true }));
