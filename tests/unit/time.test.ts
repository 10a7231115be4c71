import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from '../../src/lib/time.ts';

describe('formatTimestamp', () => {
	it('formats positions under an hour as m:ss', () => {
		expect(formatTimestamp(0)).toBe('0:00');
		expect(formatTimestamp(42_900)).toBe('0:42');
		expect(formatTimestamp(65_000)).toBe('1:05');
	});

	it('adds hours past the hour', () => {
		expect(formatTimestamp(3_723_000)).toBe('1:02:03');
	});

	it('never shows a negative time', () => {
		expect(formatTimestamp(-500)).toBe('0:00');
	});
});

describe('parseTimestamp', () => {
	it('reads seconds, m:ss and h:mm:ss', () => {
		expect(parseTimestamp('42')).toBe(42_000);
		expect(parseTimestamp('1:05')).toBe(65_000);
		expect(parseTimestamp(' 0:42 ')).toBe(42_000);
		expect(parseTimestamp('1:02:03')).toBe(3_723_000);
	});

	it('accepts minutes past 59 without hours', () => {
		expect(parseTimestamp('75:30')).toBe(4_530_000);
	});

	it('rejects text that is not a time', () => {
		for (const text of ['', 'abc', '1:5', '1:60', '-1:00', '1.5', '1::00', '1:00:00:00']) {
			expect(parseTimestamp(text), text).toBeNull();
		}
	});

	it('round-trips what it formats', () => {
		for (const ms of [0, 1_000, 59_000, 61_000, 3_599_000, 3_600_000, 7_384_000]) {
			expect(parseTimestamp(formatTimestamp(ms))).toBe(ms);
		}
	});
});
