/**
 * GoTrue's `redirect_to` rule (SUPABASE_WIRE.md §A.6): a redirect is kept if it has the site
 * URL's scheme and host (any port for localhost) or points at a loopback IP; anything else
 * silently becomes the site URL, so a link can never send a user to a foreign site.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

export function safeRedirect(siteUrl: string, requested: string | undefined): string {
	if (!requested) {
		return siteUrl;
	}

	let target: URL;
	try {
		target = new URL(requested);
	} catch {
		return siteUrl;
	}

	const site = new URL(siteUrl);
	const sameSite =
		target.protocol === site.protocol &&
		target.hostname === site.hostname &&
		(target.port === site.port || site.hostname === 'localhost');
	const loopback = LOOPBACK_HOSTS.has(target.hostname) && /^https?:$/.test(target.protocol);

	return sameSite || loopback ? target.toString() : siteUrl;
}
