import { createServer } from 'node:net';
import { defineConfig, devices } from '@playwright/test';

/** A port nobody is listening on, so the suite runs beside `npm run dev`. */
async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

// The config is loaded by the runner and again by every worker; the runner picks the port and
// the workers inherit it through the environment, so all of them agree on one app URL.
process.env.E2E_APP_PORT ??= String(await freePort());
const baseURL = `http://localhost:${process.env.E2E_APP_PORT}`;

// Debian's Chromium (npx playwright install cannot download browsers here). Without the
// networking flags it keeps trying to reach hosts this machine cannot.
const chromiumFlags = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--autoplay-policy=no-user-gesture-required'
];

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.test.ts',
	globalSetup: './tests/e2e/global-setup.ts',
	fullyParallel: true,
	forbidOnly: !!process.env.CI,
	retries: 0,
	workers: 2,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
	use: {
		baseURL,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
					args: chromiumFlags
				}
			}
		}
	]
});
