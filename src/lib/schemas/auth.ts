import { z } from 'zod';

export const emailSchema = z
	.string()
	.trim()
	.min(1, 'Enter your email address')
	.max(254, 'That email address is too long')
	.pipe(z.email('Enter a valid email address, like name@example.com'));

export const loginSchema = z.object({ email: emailSchema });

/** What /auth/confirm accepts; anything else is a broken link, not a server error. */
export const confirmSchema = z.object({
	token_hash: z.string().regex(/^(pkce_)?[0-9a-f]{16,128}$/),
	type: z.enum(['magiclink', 'signup', 'email']),
	next: z.string().max(512).optional()
});
