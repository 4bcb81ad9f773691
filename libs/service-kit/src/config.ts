import { ConfigModule } from '@nestjs/config';
import type { DynamicModule } from '@nestjs/common';
import { ZodObject, type z } from 'zod';
import { withSecretFiles } from './secrets';

/**
 * Validates process.env against a service's schema once, at start-up, and fails loudly with every
 * problem. A secret may come from a file instead (`X_FILE`, see withSecretFiles).
 */
export function parseEnv<S extends z.ZodType<Record<string, unknown>>>(schema: S, env: Record<string, unknown> = process.env): z.infer<S> {
  const names = schema instanceof ZodObject ? Object.keys(schema.shape) : [];
  const result = schema.safeParse(withSecretFiles(env, names));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  return result.data;
}

/** @nestjs/config reading only the environment, validated by the service's schema. */
export function configModule(schema: z.ZodType<Record<string, unknown>>): Promise<DynamicModule> {
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (env) => parseEnv(schema, env) });
}
