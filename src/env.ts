import { defineEnvVars } from '@sveltejs/kit/env';
import { building } from '$app/env';
import { z } from 'zod';

/**
 * SvelteKit validates every variable while it analyses the build, too; runtime-only values such
 * as secrets are not there then, so they are optional only while building.
 * (https://github.com/sveltejs/kit/issues/16193)
 */
function atRuntime<T extends z.ZodType<unknown, string>>(schema: T) {
	// Typed as required: the values are only read at runtime, where they are validated as such.
	return (building ? schema.optional() : schema) as T;
}

// Every variable the server needs, validated once at start-up so a missing or malformed value
// stops the app with a message naming it, instead of failing on the first request.
export const variables = defineEnvVars({
	PUBLIC_SUPABASE_URL: {
		public: true,
		schema: atRuntime(z.url()),
		description: 'Base URL of Supabase (or the local stack), e.g. http://127.0.0.1:54321'
	},
	PUBLIC_SUPABASE_ANON_KEY: {
		public: true,
		schema: atRuntime(z.string().min(20)),
		description: 'The public anon (publishable) key'
	},
	SUPABASE_SERVICE_ROLE_KEY: {
		schema: atRuntime(z.string().min(20)),
		description: 'Service role key: admin auth calls and background work only'
	},
	DATABASE_URL: {
		schema: atRuntime(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
		description: 'Login that can only switch to authenticated or service_role'
	},
	SMTP_URL: {
		schema: atRuntime(z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')),
		description: 'Where the outbox worker delivers mail'
	},
	MAIL_FROM: {
		schema: z.string().min(3).default('Cuepoint <no-reply@cuepoint.local>'),
		description: 'From header of every email'
	},
	APP_URL: {
		schema: atRuntime(z.url()),
		description: 'Public origin of this app; links in emails point here'
	},
	AUTH_OTP_EXPIRY_SECONDS: {
		schema: (value) => {
			const seconds = Number(value ?? 900);
			if (!Number.isInteger(seconds) || seconds <= 0) {
				throw new Error('AUTH_OTP_EXPIRY_SECONDS must be a positive whole number of seconds');
			}
			return seconds;
		},
		description: 'Magic-link lifetime, as configured in Supabase Auth (shown in the email)'
	},
	AUTH_COOKIE_NAME: {
		schema: z
			.string()
			.regex(/^[a-z0-9-]+$/)
			.optional(),
		description: 'Session cookie name; tests set their own so they never share a session'
	},
	LOG_LEVEL: {
		schema: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
		description: 'Least severe level written to the log'
	}
});
