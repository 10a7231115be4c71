/**
 * `npm run db:reset`: deletes the dev stack's data (.local/stack), so the next `npm run dev`
 * creates the database again, runs every migration and the seed. Refuses while it runs.
 */
import { DEV_DATA_DIR, resetDevData } from '../supabase/local/dev-stack.ts';

try {
	await resetDevData();
	console.log(`Removed ${DEV_DATA_DIR}; the next \`npm run dev\` starts fresh and seeds.`);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
