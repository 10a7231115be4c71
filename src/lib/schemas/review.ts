import { z } from 'zod';
import { parseTimestamp } from '../time.ts';

/** Longest media we accept a position in: a day, far past any episode. */
export const MAX_POSITION_MS = 24 * 60 * 60 * 1000;

const body = z
	.string()
	.trim()
	.min(1, 'Write your comment before sending it')
	.max(5000, 'Comments can be at most 5,000 characters');

/**
 * A comment from the review form. With JavaScript the player fills `at_ms`; without it the
 * person may type a time as m:ss in `at`. Neither means a comment on the whole deliverable.
 */
export const commentSchema = z
	.object({ body, at_ms: z.string().optional(), at: z.string().optional() })
	.transform((input, ctx) => {
		let atMs: number | null = null;
		if (input.at_ms) {
			atMs = Number(input.at_ms);
			if (!Number.isInteger(atMs) || atMs < 0 || atMs > MAX_POSITION_MS) {
				ctx.addIssue({
					code: 'custom',
					path: ['at'],
					message: 'That time is not in the recording'
				});
				return z.NEVER;
			}
		} else if (input.at?.trim()) {
			atMs = parseTimestamp(input.at);
			if (atMs === null || atMs > MAX_POSITION_MS) {
				ctx.addIssue({
					code: 'custom',
					path: ['at'],
					message: 'Use minutes and seconds, like 1:05'
				});
				return z.NEVER;
			}
		}
		return { body: input.body, atMs };
	});

export const approveSchema = z.object({
	note: z.string().trim().max(5000, 'Notes can be at most 5,000 characters').optional()
});

export const revisionSchema = z.object({
	note: z
		.string()
		.trim()
		.min(1, 'Please describe the changes you would like.')
		.max(5000, 'Notes can be at most 5,000 characters')
});

/** The first message per field, for forms that show one message under each input. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return errors;
}
