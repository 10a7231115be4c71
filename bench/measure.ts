/**
 * Timing: each iteration runs one query as the user under RLS and its two service_role twins
 * with the same actor and arguments, in a random order, so whatever the machine is doing at that
 * moment falls on all three. The time that counts is the query's own, measured inside the
 * transaction; begin, the set_config statement and commit cost the same in every mode and are
 * timed separately.
 */
import type { Database, Tx } from '../src/lib/server/db.ts';
import { pickParams } from './actors.ts';
import { modes, type Actor, type Mode, type Params, type QuerySpec } from './queries.ts';

export interface Samples {
	/** The query's own time, ms. */
	query: number[];
	/** The whole withUser / withService call, ms. */
	transaction: number[];
}

export type ModeSamples = Record<Mode, Samples>;

export async function measure(
	db: Database,
	spec: QuerySpec,
	actors: Actor[],
	options: { iterations: number; concurrency: number; next: () => number }
): Promise<ModeSamples> {
	const result = Object.fromEntries(
		modes.map((mode) => [mode, { query: [], transaction: [] }])
	) as unknown as ModeSamples;
	let started = 0;

	async function timed(mode: Mode, params: Params) {
		let queryMs = 0;
		const run = async (tx: Tx) => {
			const start = performance.now();
			await spec[mode](tx, params);
			queryMs = performance.now() - start;
		};

		const start = performance.now();
		if (mode === 'rls') {
			await db.withUser(params.actor.claims, run);
		} else {
			await db.withService(run);
		}
		result[mode].transaction.push(performance.now() - start);
		result[mode].query.push(queryMs);
	}

	async function worker() {
		while (started < options.iterations) {
			started += 1;
			const params = pickParams(actors, spec.needsVersion ?? false, options.next);
			const order = [...modes].sort(() => options.next() - 0.5);
			for (const mode of order) {
				await timed(mode, params);
			}
		}
	}

	await Promise.all(Array.from({ length: options.concurrency }, worker));
	return result;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[rank - 1];
}

export function median(values: number[]): number {
	return percentile(values, 50);
}
