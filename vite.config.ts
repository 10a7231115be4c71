import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		sveltekit({
			adapter: adapter(),
			// Form actions are the only way pages change data, so SvelteKit's origin check (CSRF
			// protection) must stay on. It is on by default; no origin is trusted beyond our own.
			csrf: { trustedOrigins: [] }
		})
	],
	test: {
		projects: [
			{
				extends: true,
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
