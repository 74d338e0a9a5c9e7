import { describe, expect, it } from 'vitest';
import { readCookie } from './route';

describe('readCookie', () => {
  it('reads a cookie and decodes it', () => {
    const req = new Request('http://x/', { headers: { cookie: 'a=1; conveyor_session=abc%20d' } });
    expect(readCookie(req, 'conveyor_session')).toBe('abc d');
  });

  it('treats a malformed %-escape as no cookie instead of throwing (a client error must not become a 500)', () => {
    const req = new Request('http://x/', { headers: { cookie: 'conveyor_session=%E0%A4%A' } });
    expect(() => readCookie(req, 'conveyor_session')).not.toThrow();
    expect(readCookie(req, 'conveyor_session')).toBeUndefined();
  });
});
