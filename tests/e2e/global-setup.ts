/**
 * Starts what the end-to-end suite runs against: a fresh local stack with the demo seed on free
 * ports, and the built app (`node build`) in front of it, exactly as it runs in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startTestStack } from '../support/stack.ts';

/** Resolves once adapter-node reports that it listens; rejects if the app exits first. */
function waitForListening(app: ChildProcess, timeoutMs: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('the app did not start listening')), timeoutMs);
		app.stdout?.on('data', (chunk: Buffer) => {
			process.stdout.write(chunk);
			if (chunk.toString().includes('Listening on')) {
				clearTimeout(timer);
				resolve();
			}
		});
		app.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`the app exited with code ${code} before it listened`));
		});
	});
}

export default async function globalSetup() {
	if (!existsSync('build/index.js')) {
		throw new Error('No build found: run `npm run build` first (npm run test:e2e does).');
	}
	const port = process.env.E2E_APP_PORT!;
	const appUrl = `http://localhost:${port}`;
	const stack = await startTestStack({ siteUrl: appUrl, seed: true });

	const app = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			...stack.appEnv,
			HOST: '127.0.0.1',
			PORT: port,
			ORIGIN: appUrl,
			AUTH_COOKIE_NAME: 'cuepoint-e2e',
			LOG_LEVEL: 'warn'
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});

	try {
		await waitForListening(app, 30_000);
	} catch (error) {
		app.kill();
		await stack.stop();
		throw error;
	}

	// Workers inherit these: tests read mail and set up their own data through them.
	process.env.E2E_INBOX_URL = stack.inboxUrl;
	process.env.E2E_SUPERUSER_URL = stack.superuserUrl;
	process.env.PUBLIC_SUPABASE_URL = stack.apiUrl;
	process.env.SUPABASE_SERVICE_ROLE_KEY = stack.serviceRoleKey;

	return async () => {
		const exited = new Promise((resolve) => app.once('exit', resolve));
		app.kill('SIGTERM');
		await exited;
		await stack.stop();
	};
}
