/**
 * `npm run dev`: the local stack (data in .local/stack, the Supabase CLI's ports, seeded on the
 * first run), then the app on http://localhost:5173 with the stack's environment. Ctrl-C or
 * SIGTERM stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
	claimPidFile,
	DEV_SITE_URL,
	onShutdown,
	recordAppPid,
	startDevStack
} from '../supabase/local/dev-stack.ts';
import { assertPortFree, PortInUseError } from '../supabase/local/ports.ts';

const APP_PORT = 5173;
const VITE_STOP_WAIT_MS = 5_000;
const vite = fileURLToPath(new URL('../node_modules/.bin/vite', import.meta.url));

try {
	await claimPidFile();
	await assertPortFree(APP_PORT, 'app');
	const stack = await startDevStack();

	const app = spawn(vite, ['dev', '--port', String(APP_PORT), '--strictPort'], {
		stdio: 'inherit',
		env: { ...process.env, ...stack.appEnv }
	});
	if (app.pid) {
		await recordAppPid(app.pid);
	}
	console.log(`App         ${DEV_SITE_URL}`);

	const stopAll = async () => {
		await stopChild(app);
		await stack.stop();
	};
	onShutdown(stopAll);

	// If the app server dies on its own, the stack has no reason to keep running.
	app.once('exit', (code) => {
		void stack.stop().then(() => process.exit(code ?? 1));
	});
} catch (error) {
	console.error(error instanceof PortInUseError ? error.message : error);
	process.exit(1);
}

async function stopChild(child: ChildProcess) {
	if (child.exitCode !== null || child.signalCode !== null) {
		return;
	}
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), VITE_STOP_WAIT_MS);
	await exited;
	clearTimeout(timer);
}
