import { error, redirect } from '@sveltejs/kit';
import {
	sequence,
	type Handle,
	type HandleServerError,
	type ServerInit
} from '@sveltejs/kit/hooks';
import { loadActiveContacts, loadMemberships } from '#lib/server/access.ts';
import { getDatabase } from '#lib/server/database.ts';
import { logger } from '#lib/server/log.ts';
import { verifiedClaims } from '#lib/server/session.ts';
import { createRequestClient } from '#lib/server/supabase.ts';
import { startBackgroundWork } from '#lib/server/work/worker.ts';

const log = logger('http');

export const init: ServerInit = () => {
	const database = getDatabase();
	const stopBackgroundWork = startBackgroundWork(database);

	// adapter-node stops accepting requests on SIGTERM/SIGINT and then emits this event; the
	// process exits once the worker's timer and the database pool are closed.
	process.once('sveltekit:shutdown', () => {
		void stopBackgroundWork().then(() => database.end());
	});
};

const authenticate: Handle = async ({ event, resolve }) => {
	event.locals.supabase = createRequestClient(event.cookies);
	event.locals.claims = await verifiedClaims(event.locals.supabase);
	event.locals.memberships = [];
	event.locals.contacts = [];
	return resolve(event);
};

function isUnder(pathname: string, prefix: string): boolean {
	return pathname === prefix || pathname.startsWith(prefix + '/');
}

function signInRedirect(loginPath: string, url: URL): never {
	const next = url.pathname + url.search;
	redirect(303, `${loginPath}?next=${encodeURIComponent(next)}`);
}

/**
 * Route guards. They decide where a person is sent; what data they may read is decided again by
 * RLS inside every query, so a mistake here can misroute but never leak.
 */
const guard: Handle = async ({ event, resolve }) => {
	const { pathname } = event.url;
	const { claims } = event.locals;
	const db = getDatabase();

	if (isUnder(pathname, '/app')) {
		if (!claims) {
			signInRedirect('/login', event.url);
		}
		event.locals.memberships = await db.withUser(claims, loadMemberships);
		if (event.locals.memberships.length === 0) {
			const contacts = await db.withUser(claims, loadActiveContacts);
			if (contacts.length > 0) {
				redirect(303, '/portal');
			}
			error(403, 'This account has no access to a studio workspace');
		}
	} else if (isUnder(pathname, '/portal') && !isUnder(pathname, '/portal/login')) {
		if (!claims) {
			signInRedirect('/portal/login', event.url);
		}
		event.locals.contacts = await db.withUser(claims, loadActiveContacts);
		if (event.locals.contacts.length === 0) {
			const memberships = await db.withUser(claims, loadMemberships);
			if (memberships.length > 0) {
				redirect(303, '/app');
			}
			error(403, 'This account has no access to a client portal');
		}
	}

	return resolve(event);
};

/**
 * Headers for every response. Pages can show private data, so nothing is cached by shared
 * caches, and no URL (a confirm link carries a token) leaks to another site through Referer.
 * `same-origin` rather than `no-referrer`: with the latter, browsers send `Origin: null` on form
 * posts, which SvelteKit's CSRF check rightly refuses.
 */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	if (!response.headers.has('Cache-Control') && !event.url.pathname.startsWith('/_app/')) {
		response.headers.set('Cache-Control', 'private, no-store');
	}
	return response;
};

export const handle = sequence(securityHeaders, authenticate, guard);

/**
 * Expected errors (thrown with `error()`, or SvelteKit's own 404s) keep their message. Anything
 * else is logged with an id that the error page also shows, and the user sees no details.
 */
export const handleError: HandleServerError = (caught) => {
	if (caught.kind !== 'unknown') {
		return;
	}
	const errorId = crypto.randomUUID();
	const cause = caught.error;
	log.error('unexpected error', {
		errorId,
		route: caught.event.route.id,
		method: caught.event.request.method,
		error: cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)
	});
	return { message: 'Something went wrong on our side', errorId };
};
