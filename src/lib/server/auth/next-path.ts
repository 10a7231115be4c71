export type Audience = 'portal' | 'app';

export const homeOf: Record<Audience, string> = { portal: '/portal', app: '/app' };
export const loginOf: Record<Audience, string> = { portal: '/portal/login', app: '/login' };

/**
 * Where to go after signing in. Only a plain path on this site, under the audience's own area,
 * is accepted; anything else (another origin, `//host`, `/\host`, encoded tricks, control
 * characters) falls back to the audience's home, so a link can never redirect off-site.
 */
export function safeNextPath(candidate: string | null | undefined, audience: Audience): string {
	const home = homeOf[audience];
	if (!candidate || candidate.length > 512) {
		return home;
	}
	if (!candidate.startsWith('/') || candidate.startsWith('//') || /[\\\s\p{Cc}]/u.test(candidate)) {
		return home;
	}

	// Resolve against a dummy origin to collapse dot segments; a path that escapes the origin or
	// lands outside the audience's area is refused.
	const resolved = new URL(candidate, 'http://cuepoint.invalid');
	if (resolved.origin !== 'http://cuepoint.invalid') {
		return home;
	}
	const path = resolved.pathname;
	if (path !== home && !path.startsWith(home + '/')) {
		return home;
	}
	return path + resolved.search;
}

/** The audience a next path belongs to, for offering a fresh link from the confirm page. */
export function audienceOfPath(path: string): Audience {
	return path === '/app' || path.startsWith('/app/') ? 'app' : 'portal';
}
