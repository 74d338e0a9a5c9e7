import { z } from 'zod';

export const CredentialsBody = z.object({
  email: z.string().trim().email('a valid email is required').max(254),
  password: z.string().min(8, 'at least 8 characters').max(200),
});
export const LoginBody = z.object({
  email: z.string().trim().max(254),
  password: z.string().max(200),
});
