import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withPassword, withSecretFiles } from './secrets';

describe('withSecretFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fanout-secrets-'));
  const file = join(dir, 'redis-password');
  writeFileSync(file, 's3cret\n');

  it("sets a declared variable from its _FILE, without the file's trailing newline", () => {
    expect(withSecretFiles({ REDIS_PASSWORD_FILE: file, PORT: '1' }, ['REDIS_PASSWORD', 'PORT'])).toMatchObject({
      REDIS_PASSWORD: 's3cret',
      PORT: '1',
    });
  });

  it("leaves other programs' _FILE variables alone", () => {
    expect(withSecretFiles({ TF_CLI_CONFIG_FILE: '/nowhere' }, ['REDIS_PASSWORD'])).toEqual({ TF_CLI_CONFIG_FILE: '/nowhere' });
  });

  it('accepts the variable beside its _FILE when they agree (@nestjs/config copies it into process.env)', () => {
    expect(withSecretFiles({ REDIS_PASSWORD: 's3cret', REDIS_PASSWORD_FILE: file }, ['REDIS_PASSWORD'])).toMatchObject({
      REDIS_PASSWORD: 's3cret',
    });
  });

  it('refuses a variable set both ways to different values, and a file it cannot read, naming them', () => {
    expect(() => withSecretFiles({ REDIS_PASSWORD: 'x', REDIS_PASSWORD_FILE: file }, ['REDIS_PASSWORD'])).toThrow(
      'both REDIS_PASSWORD and REDIS_PASSWORD_FILE are set',
    );
    expect(() => withSecretFiles({ REDIS_PASSWORD_FILE: join(dir, 'missing') }, ['REDIS_PASSWORD'])).toThrow(
      /REDIS_PASSWORD_FILE names .*missing, which cannot be read \(ENOENT/,
    );
  });
});

describe('withPassword', () => {
  it("adds a password to a URL's user, escaped", () => {
    expect(withPassword('redis://order-service@redis:6379', 'a/b@c')).toBe('redis://order-service:a%2Fb%40c@redis:6379');
    expect(withPassword('postgres://analytics@db:5432/fanout', undefined)).toBe('postgres://analytics@db:5432/fanout');
  });
});
