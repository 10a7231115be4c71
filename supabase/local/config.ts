/**
 * The values the local stack mirrors from `supabase/config.toml`, so the stack and
 * `supabase start` behave alike. Only the keys the stack needs are read.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const configPath = fileURLToPath(new URL('../config.toml', import.meta.url));

/** `[auth.email] otp_expiry`: how long a magic link (and its code) stays valid. */
export async function readOtpExpirySeconds(): Promise<number> {
	const text = await readFile(configPath, 'utf8');
	const value = readTomlValue(text, 'auth.email', 'otp_expiry');
	const seconds = Number(value);

	if (value === undefined || !Number.isInteger(seconds) || seconds < 0) {
		throw new Error('supabase/config.toml needs `[auth.email] otp_expiry = <seconds>`');
	}
	return seconds;
}

/** Enough TOML for `key = value` lines in a `[table]`; not a general parser. */
function readTomlValue(text: string, table: string, key: string): string | undefined {
	let current = '';

	for (const rawLine of text.split('\n')) {
		const line = rawLine.replace(/#.*$/, '').trim();
		const header = /^\[([^\]]+)\]$/.exec(line);

		if (header) {
			current = header[1].trim();
		} else if (current === table) {
			const pair = /^([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(line);
			if (pair && pair[1] === key) {
				return pair[2].trim();
			}
		}
	}
	return undefined;
}
