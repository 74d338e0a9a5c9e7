import { describe, expect, it } from 'vitest';
import { ApiError, isMissingRoute } from './api-client';

describe('isMissingRoute', () => {
  it('is true for a server without the route: HTML 404 (no API code), 501, 405', () => {
    expect(isMissingRoute(new ApiError(404, 'http_404', 'Not Found'))).toBe(true);
    expect(isMissingRoute(new ApiError(501, 'not_implemented', 'later'))).toBe(true);
    expect(isMissingRoute(new ApiError(405, 'http_405', 'Method Not Allowed'))).toBe(true);
  });

  it('is false for the API answering about the resource itself', () => {
    expect(isMissingRoute(new ApiError(404, 'not_found', 'no such producer'))).toBe(false);
    expect(isMissingRoute(new ApiError(409, 'not_deployed', 'deploy first'))).toBe(false);
    expect(isMissingRoute(new Error('boom'))).toBe(false);
  });
});
