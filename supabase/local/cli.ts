/**
 * The local stack on its own, without the app:
 *   npx node supabase/local/cli.ts start   # Supabase CLI ports, data in .local/stack, seeded
 *   npx node supabase/local/cli.ts reset   # delete that data (refused while it runs)
 */
import {
	claimPidFile,
	DEV_DATA_DIR,
	onShutdown,
	resetDevData,
	startDevStack
} from './dev-stack.ts';
import { PortInUseError } from './ports.ts';

const command = process.argv[2];

try {
	if (command === 'start') {
		await claimPidFile();
		const stack = await startDevStack();
		console.log('Stack ready; Ctrl-C stops it.');
		onShutdown(() => stack.stop());
	} else if (command === 'reset') {
		await resetDevData();
		console.log(`Removed ${DEV_DATA_DIR}.`);
	} else {
		console.error('Usage: node supabase/local/cli.ts start|reset');
		process.exit(2);
	}
} catch (error) {
	console.error(error instanceof PortInUseError ? error.message : error);
	process.exit(1);
}
