/**
 * GoTrue's error responses (SUPABASE_WIRE.md §A.1). auth-js sends `X-Supabase-Api-Version:
 * 2024-01-01` and then reads `code` only if the response echoes that header, so both go out
 * together; requests without the header get the legacy `{code, error_code, msg}` shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { sendJson } from './http.ts';

const API_VERSION = '2024-01-01';

export class AuthError extends Error {
	readonly status: number;
	readonly code: string;

	constructor(status: number, code: string, message: string) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

/** GoTrue answers a few `/token` failures in the OAuth shape instead (§A.1). */
export class OAuthError extends AuthError {
	constructor(description: string) {
		super(400, 'invalid_request', description);
	}
}

export function sendAuthError(req: IncomingMessage, res: ServerResponse, error: AuthError) {
	const requested = req.headers['x-supabase-api-version'];
	const headers = { 'x-sb-error-code': error.code };

	if (error instanceof OAuthError) {
		sendJson(res, error.status, { error: error.code, error_description: error.message }, headers);
	} else if (typeof requested === 'string' && requested >= API_VERSION) {
		sendJson(
			res,
			error.status,
			{ code: error.code, message: error.message },
			{ ...headers, 'X-Supabase-Api-Version': API_VERSION }
		);
	} else {
		sendJson(
			res,
			error.status,
			{ code: error.status, error_code: error.code, msg: error.message },
			headers
		);
	}
}

export const validationFailed = (message: string) =>
	new AuthError(400, 'validation_failed', message);

export const invalidEmail = () =>
	validationFailed('Unable to validate email address: invalid format');

export const userNotFound = () => new AuthError(404, 'user_not_found', 'User not found');

/** Validates a JSON body; the first problem becomes a 400 validation_failed naming the field. */
export function parseBody<T>(schema: z.ZodType<T>, body: Record<string, unknown>): T {
	const result = schema.safeParse(body);
	if (!result.success) {
		const issue = result.error.issues[0];
		const field = issue.path.join('.') || 'body';
		throw validationFailed(`${field}: ${issue.message}`);
	}
	return result.data;
}
