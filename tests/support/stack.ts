/**
 * A whole local stack for one test run: free ports, its own throwaway data folder, so tests
 * pass while `npm run dev` runs on the default ports.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack, type StackOptions } from '../../supabase/local/stack.ts';

export const TEST_SITE_URL = 'http://localhost:5173';

export async function startTestStack(
	options: Partial<Omit<StackOptions, 'dataDir'>> = {}
): Promise<Stack> {
	const dataDir = await mkdtemp(join(tmpdir(), 'cuepoint-stack-'));

	try {
		const stack = await startStack({ siteUrl: TEST_SITE_URL, quiet: true, ...options, dataDir });
		return {
			...stack,
			stop: async () => {
				await stack.stop();
				await rm(dataDir, { recursive: true, force: true });
			}
		};
	} catch (error) {
		await rm(dataDir, { recursive: true, force: true });
		throw error;
	}
}
