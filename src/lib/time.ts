/** Formats a media position in milliseconds as m:ss (or h:mm:ss past the hour). */
export function formatTimestamp(ms: number): string {
	const totalSeconds = Math.max(0, Math.floor(ms / 1000));
	const hours = Math.floor(totalSeconds / 3600);
	const minutes = Math.floor((totalSeconds % 3600) / 60);
	const seconds = String(totalSeconds % 60).padStart(2, '0');
	return hours > 0
		? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
		: `${minutes}:${seconds}`;
}

/**
 * Parses what a person types as a media position: `ss`, `m:ss` or `h:mm:ss`. Returns the
 * position in milliseconds, or null when the text is not such a time.
 */
export function parseTimestamp(text: string): number | null {
	const match = /^(?:(?:(\d{1,2}):)?([0-5]?\d):)?([0-5]?\d)$/.exec(text.trim());
	if (!match) {
		// Minutes past 59 without hours are common ("75:30" for a long episode); accept them too.
		const long = /^(\d{1,3}):([0-5]\d)$/.exec(text.trim());
		return long ? (Number(long[1]) * 60 + Number(long[2])) * 1000 : null;
	}
	const [, hours = '0', minutes = '0', seconds] = match;
	return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}
