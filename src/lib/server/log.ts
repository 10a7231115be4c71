import { LOG_LEVEL } from '$app/env/private';

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof levels;

/**
 * One JSON line per event, tagged with an area. Callers pass ids, never emails, tokens, links or
 * signed URLs: the log is read by more people than the database is.
 */
function write(level: Level, area: string, message: string, fields: Record<string, unknown>) {
	if (levels[level] < levels[LOG_LEVEL]) {
		return;
	}
	const line = JSON.stringify({ time: new Date().toISOString(), level, area, message, ...fields });
	if (level === 'error' || level === 'warn') {
		process.stderr.write(line + '\n');
	} else {
		process.stdout.write(line + '\n');
	}
}

export function logger(area: string) {
	return {
		debug: (message: string, fields: Record<string, unknown> = {}) =>
			write('debug', area, message, fields),
		info: (message: string, fields: Record<string, unknown> = {}) =>
			write('info', area, message, fields),
		warn: (message: string, fields: Record<string, unknown> = {}) =>
			write('warn', area, message, fields),
		error: (message: string, fields: Record<string, unknown> = {}) =>
			write('error', area, message, fields)
	};
}
