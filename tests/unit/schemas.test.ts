import { describe, expect, it } from 'vitest';
import { loginSchema } from '../../src/lib/schemas/auth.ts';
import {
	commentSchema,
	fieldErrors,
	MAX_POSITION_MS,
	revisionSchema
} from '../../src/lib/schemas/review.ts';

describe('loginSchema', () => {
	it('accepts and trims a valid address', () => {
		expect(loginSchema.parse({ email: '  maya@clearwater.example ' }).email).toBe(
			'maya@clearwater.example'
		);
	});

	it('explains what is wrong with a bad address', () => {
		const empty = loginSchema.safeParse({ email: '' });
		expect(empty.success || fieldErrors(empty.error).email).toBe('Enter your email address');
		const invalid = loginSchema.safeParse({ email: 'maya@' });
		expect(invalid.success || fieldErrors(invalid.error).email).toBe(
			'Enter a valid email address, like name@example.com'
		);
	});
});

describe('commentSchema', () => {
	it('takes the player position in milliseconds first', () => {
		expect(commentSchema.parse({ body: ' Too loud ', at_ms: '42000', at: '9:99' })).toEqual({
			body: 'Too loud',
			atMs: 42_000
		});
	});

	it('reads a typed m:ss time when there is no player position', () => {
		expect(commentSchema.parse({ body: 'Cut this', at: '1:05' }).atMs).toBe(65_000);
	});

	it('allows a comment on the whole deliverable', () => {
		expect(commentSchema.parse({ body: 'Lovely', at: '' }).atMs).toBeNull();
	});

	it('refuses an empty body, a bad typed time and an impossible position', () => {
		const empty = commentSchema.safeParse({ body: '   ' });
		expect(empty.success || fieldErrors(empty.error).body).toBe(
			'Write your comment before sending it'
		);
		const typed = commentSchema.safeParse({ body: 'x', at: 'soon' });
		expect(typed.success || fieldErrors(typed.error).at).toBe('Use minutes and seconds, like 1:05');
		for (const at_ms of ['-1', '1.5', 'abc', String(MAX_POSITION_MS + 1)]) {
			const result = commentSchema.safeParse({ body: 'x', at_ms });
			expect(result.success, at_ms).toBe(false);
		}
	});
});

describe('revisionSchema', () => {
	it('requires notes that say what should change', () => {
		const result = revisionSchema.safeParse({ note: ' ' });
		expect(result.success || fieldErrors(result.error).note).toBe(
			'Please describe the changes you would like.'
		);
	});
});
