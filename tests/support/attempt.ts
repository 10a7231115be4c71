/**
 * Runs a statement as an API role in a transaction that is always rolled back, and reports how
 * it ended: the rows, or the SQLSTATE and message. Every case of a matrix then starts from the
 * same fixture, whatever the cases before it were allowed to change.
 */
import { expect } from 'vitest';
import type { Database, Tx } from '#lib/server/db.ts';
import type { Actor } from './actors.ts';

export type Outcome = { rows: Record<string, unknown>[] } | { code: string; message: string };

const ROLLBACK = Symbol('rollback');

export async function attempt(
	db: Database,
	actor: Actor | null,
	fn: (tx: Tx) => Promise<Record<string, unknown>[]>
): Promise<Outcome> {
	let outcome: Outcome | undefined;

	await db.sql
		.begin(async (tx) => {
			if (actor) {
				await tx`select set_config('role', 'authenticated', true),
					set_config('request.jwt.claims', ${JSON.stringify(actor.claims)}, true)`;
			} else {
				await tx`select set_config('role', 'anon', true)`;
			}
			try {
				outcome = { rows: [...(await fn(tx))] };
			} catch (error) {
				const { code, message } = error as { code?: string; message?: string };
				if (!code) {
					throw error;
				}
				outcome = { code, message: message ?? '' };
			}
			throw ROLLBACK;
		})
		.catch((error: unknown) => {
			if (error !== ROLLBACK) {
				throw error;
			}
		});

	if (!outcome) {
		throw new Error('attempt: the statement did not run');
	}
	return outcome;
}

/**
 * How a case must end. ok: one row comes back carrying `row`; none: a `using` filter left
 * nothing to read, change or delete; grant: a missing grant refused it (42501); check: a
 * policy's `with check` refused it (42501); author: the comments trigger refused an edit by
 * someone other than the author (42501), which column grants cannot express.
 */
export type Expect = 'ok' | 'none' | 'grant' | 'check' | 'author';

export function assertOutcome(outcome: Outcome, expected: Expect, row: Record<string, unknown>) {
	switch (expected) {
		case 'ok':
			expect(outcome).toHaveProperty('rows');
			if ('rows' in outcome) {
				expect(outcome.rows).toHaveLength(1);
				expect(normalise(outcome.rows[0])).toMatchObject(row);
			}
			return;
		case 'none':
			expect(outcome).toEqual({ rows: [] });
			return;
		case 'grant':
			expect(outcome).toMatchObject({
				code: '42501',
				message: expect.stringMatching(/^permission denied for table /)
			});
			return;
		case 'author':
			expect(outcome).toEqual({
				code: '42501',
				message: 'Only its author can edit or delete a comment.'
			});
			return;
		case 'check':
			expect(outcome).toMatchObject({
				code: '42501',
				message: expect.stringMatching(/^new row violates row-level security policy/)
			});
			return;
	}
}

function normalise(row: Record<string, unknown>) {
	return Object.fromEntries(
		Object.entries(row).map(([column, value]) => [
			column,
			value instanceof Date ? value.toISOString() : value
		])
	);
}
