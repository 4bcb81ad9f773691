import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settings } from './env';

export type LogLine = Record<string, unknown>;

/**
 * Every line the instances of `service` have logged in the stack's log directory, each parsed as the
 * JSON object it must be; a line that is not JSON fails the caller, naming the file.
 */
export function serviceLogLines(service: string): LogLine[] {
  const dir = join(settings.stateDir, 'logs');
  return readdirSync(dir)
    .filter((file) => file.startsWith(`${service}-`) && file.endsWith('.log'))
    .flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          try {
            return JSON.parse(line) as LogLine;
          } catch {
            throw new Error(`${file} has a line that is not JSON: ${line.slice(0, 200)}`);
          }
        }),
    );
}
