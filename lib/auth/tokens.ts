import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe token of `bytes` bytes of entropy. */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Tokens and API keys carry 192+ bits of entropy, so a fast hash is enough at rest. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
