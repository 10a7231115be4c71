/**
 * The plans behind each benchmarked query, checked for sequential scans of large tables.
 *
 * Two looks per query. EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of the statement itself, run as
 * the user exactly as withUser runs it. Then auto_explain on a superuser session that becomes
 * the user the same way, which also shows what EXPLAIN cannot: the statements inside the
 * policies' helper functions and comment_author_labels, and the generic plan a prepared
 * statement may switch to after five executions (postgres.js prepares every query).
 */
import postgres from 'postgres';
import type { Database, Tx } from '../src/lib/server/db.ts';
import { modes, type Params, type QuerySpec } from './queries.ts';

export const LARGE_TABLE_ROWS = 10_000;

interface PlanNode {
	'Node Type': string;
	'Relation Name'?: string;
	'Index Name'?: string;
	Alias?: string;
	'Parent Relationship'?: string;
	'Subplan Name'?: string;
	'Actual Rows'?: number;
	'Actual Loops'?: number;
	'Shared Hit Blocks'?: number;
	'Shared Read Blocks'?: number;
	Plans?: PlanNode[];
}

export interface CheckedPlan {
	query: string;
	source: string;
	/** The statement, whitespace collapsed. */
	text: string;
	ms: number | null;
	lines: string[];
	seqScans: string[];
}

export async function tableSizes(sql: postgres.Sql): Promise<Map<string, number>> {
	const rows = await sql<{ relname: string; reltuples: number }[]>`
		select c.relname, c.reltuples::float8 as reltuples
		from pg_class c
		join pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r', 'p', 'm') and n.nspname in ('public', 'auth', 'storage')`;
	const sizes = new Map<string, number>();
	for (const row of rows) {
		sizes.set(row.relname, Math.max(sizes.get(row.relname) ?? 0, row.reltuples));
	}
	return sizes;
}

/** One line per plan node, indented by depth, naming the table and index it reads. */
function describePlan(plan: PlanNode, sizes: Map<string, number>) {
	const lines: string[] = [];
	const seqScans: string[] = [];

	function walk(node: PlanNode, depth: number) {
		const label = node['Subplan Name'] ? `${node['Subplan Name']}: ` : '';
		const relation = node['Relation Name'];
		const index = node['Index Name'] ? ` using ${node['Index Name']}` : '';
		const on = relation ? ` on ${relation}` : '';
		const loops = (node['Actual Loops'] ?? 1) > 1 ? ` x${node['Actual Loops']}` : '';
		const rows = node['Actual Rows'] === undefined ? '' : ` (rows ${node['Actual Rows']}${loops})`;
		lines.push(`${'  '.repeat(depth)}${label}${node['Node Type']}${index}${on}${rows}`);

		if (node['Node Type'] === 'Seq Scan' && relation) {
			const size = sizes.get(relation) ?? 0;
			if (size > LARGE_TABLE_ROWS) {
				seqScans.push(`${relation} (${Math.round(size)} rows)`);
			}
		}
		for (const child of node.Plans ?? []) {
			walk(child, depth + 1);
		}
	}

	walk(plan, 0);
	return { lines, seqScans };
}

function squash(text: string) {
	return text.replace(/\s+/g, ' ').trim();
}

type Explained = { text: string; plan: PlanNode; ms: number };

/**
 * A query written against the stand-in below. Like postgres.js's own, it runs only when
 * awaited, and one used inside another query's template is a fragment spliced into it.
 */
class CapturedQuery {
	strings: readonly string[];
	values: unknown[];
	run: (query: CapturedQuery) => Promise<unknown>;

	constructor(strings: readonly string[], values: unknown[], run: CapturedQuery['run']) {
		this.strings = strings;
		this.values = values;
		this.run = run;
	}

	/** The statement with $n placeholders, its parameters appended to `params`. */
	build(params: unknown[]): string {
		return this.strings.reduce((text, part, i) => {
			const value = this.values[i - 1];
			if (value instanceof CapturedQuery) {
				return `${text}${value.build(params)}${part}`;
			}
			params.push(value);
			return `${text}$${params.length}${part}`;
		});
	}

	then<T>(resolve: (rows: unknown) => T, reject: (error: unknown) => T): Promise<T> {
		return this.run(this).then(resolve, reject);
	}
}

/**
 * Stands in for the transaction handle: each statement the app's function runs is explained
 * instead, in the same transaction, as the same role; it then sees no rows.
 */
function explaining(tx: Tx, found: Explained[]): Tx {
	const run = async (query: CapturedQuery) => {
		const params: unknown[] = [];
		const text = query.build(params);
		const [row] = await tx.unsafe<
			{ 'QUERY PLAN': { Plan: PlanNode; 'Execution Time': number }[] }[]
		>(
			`explain (analyze, buffers, format json) ${text}`,
			params as postgres.ParameterOrJSON<never>[]
		);
		const [explained] = row['QUERY PLAN'];
		found.push({ text, plan: explained.Plan, ms: explained['Execution Time'] });
		return [];
	};
	const tag = (strings: TemplateStringsArray, ...values: unknown[]) =>
		new CapturedQuery(strings, values, run);
	return tag as unknown as Tx;
}

export async function explainQuery(
	db: Database,
	spec: QuerySpec,
	params: Params,
	sizes: Map<string, number>
): Promise<CheckedPlan[]> {
	const checked: CheckedPlan[] = [];

	for (const mode of modes) {
		const found: Explained[] = [];
		const run = (tx: Tx) => spec[mode](explaining(tx, found), params);
		await (mode === 'rls' ? db.withUser(params.actor.claims, run) : db.withService(run));

		for (const { text, plan, ms } of found) {
			const source = mode === 'rls' ? 'EXPLAIN as the user' : `EXPLAIN ${mode} as service_role`;
			checked.push({
				query: spec.name,
				source,
				text: squash(text),
				ms,
				...describePlan(plan, sizes)
			});
		}
	}
	return checked;
}

/**
 * A superuser session with auto_explain logging every statement, nested ones included, back to
 * this client as notices. LOAD needs a superuser; the statements still run as `authenticated`.
 */
export async function openPlanSession(superuserUrl: string) {
	const notices: string[] = [];
	const sql = postgres(superuserUrl, {
		max: 1,
		onnotice: (notice) => notices.push(notice.message)
	});
	await sql`load 'auto_explain'`;
	await sql.unsafe(`
		set auto_explain.log_min_duration = 0;
		set auto_explain.log_analyze = on;
		set auto_explain.log_timing = off;
		set auto_explain.log_nested_statements = on;
		set auto_explain.log_format = json;
		set auto_explain.log_level = notice`);

	async function explainNested(
		spec: QuerySpec,
		params: Params,
		sizes: Map<string, number>
	): Promise<CheckedPlan[]> {
		const checked: CheckedPlan[] = [];

		for (const planMode of ['force_custom_plan', 'force_generic_plan']) {
			await sql.begin(async (tx) => {
				await tx`select set_config('role', 'authenticated', true),
					set_config('request.jwt.claims', ${JSON.stringify(params.actor.claims)}, true),
					set_config('request.jwt.claim.sub', ${params.actor.userId}, true),
					set_config('plan_cache_mode', ${planMode}, true)`;
				notices.length = 0;
				await spec.rls(tx, params);
			});

			for (const message of notices) {
				const logged = JSON.parse(message.slice(message.indexOf('{'))) as {
					'Query Text': string;
					Plan: PlanNode;
				};
				checked.push({
					query: spec.name,
					source: `auto_explain ${planMode === 'force_custom_plan' ? 'custom' : 'generic'}`,
					text: squash(logged['Query Text']),
					ms: null,
					...describePlan(logged.Plan, sizes)
				});
			}
		}
		return checked;
	}

	return { explainNested, end: () => sql.end() };
}
