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
 * Parses what a person types as a media position: `ss`, `m:ss` (minutes may pass 59, as in
 * `75:30`) or `h:mm:ss`. Returns the position in milliseconds, or null when the text is not
 * such a time.
 */
export function parseTimestamp(text: string): number | null {
	const parts = text.trim().split(':');
	const twoDigits = /^[0-5]\d$/;
	let seconds: number;

	if (parts.length === 1 && /^\d{1,5}$/.test(parts[0])) {
		seconds = Number(parts[0]);
	} else if (parts.length === 2 && /^\d{1,3}$/.test(parts[0]) && twoDigits.test(parts[1])) {
		seconds = Number(parts[0]) * 60 + Number(parts[1]);
	} else if (
		parts.length === 3 &&
		/^\d{1,2}$/.test(parts[0]) &&
		twoDigits.test(parts[1]) &&
		twoDigits.test(parts[2])
	) {
		seconds = (Number(parts[0]) * 60 + Number(parts[1])) * 60 + Number(parts[2]);
	} else {
		return null;
	}
	return seconds * 1000;
}
