import { defineConfig } from 'vitest/config';

// Kept apart from vite.config.ts on purpose: the SvelteKit plugin validates the app's runtime
// environment when it starts, and neither unit nor database tests run the app. Tests import
// modules by relative path, so they need no SvelteKit aliases.
export default defineConfig({
	test: {
		projects: [
			{
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				test: {
					name: 'db',
					include: ['tests/db/**/*.test.ts', 'tests/contract/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/support/global-stack.ts'],
					testTimeout: 30_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
