import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it("computes helmet's headers from its options once, as a plain map", () => {
    const headers = securityHeaders({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(Object.keys(headers)).not.toContain('x-powered-by');
  });

  it('refuses options helmet refuses', () => {
    expect(() => securityHeaders({ contentSecurityPolicy: { directives: { 'default-src': ["'self'; script-src *"] } } })).toThrow();
  });
});
