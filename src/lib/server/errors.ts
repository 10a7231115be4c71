import { error } from '@sveltejs/kit';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A malformed id is answered exactly like an id that names nothing visible, so probing ids
 * reveals neither which exist nor how the database parses them.
 */
export function requireUuid(value: string, what: string): string {
	if (!uuidPattern.test(value)) {
		error(404, `${what} not found`);
	}
	return value.toLowerCase();
}

interface PostgresError {
	code?: string;
	message?: string;
}

function asPostgresError(cause: unknown): PostgresError {
	return typeof cause === 'object' && cause !== null ? (cause as PostgresError) : {};
}

/**
 * Business rules raised in SQL (SQLSTATE P0001) carry sentences written for users; they are the
 * only database messages ever shown. Returns null for anything else, which the caller rethrows.
 */
export function businessRuleMessage(cause: unknown): string | null {
	const { code, message } = asPostgresError(cause);
	return code === 'P0001' && message ? message : null;
}

/** Maps the database errors a request can expect to HTTP errors; everything else is rethrown. */
export function rethrowAsHttpError(cause: unknown): never {
	const { code } = asPostgresError(cause);
	if (code === '42501') {
		error(403, 'You do not have access to this');
	}
	if (code === '23505') {
		error(409, 'That already exists');
	}
	throw cause;
}
