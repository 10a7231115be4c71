import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [
		sveltekit({
			adapter: adapter(),
			// Form actions are the only way pages change data, so SvelteKit's origin check (CSRF
			// protection) must stay on. It is on by default; no origin is trusted beyond our own.
			csrf: { trustedOrigins: [] }
		})
	]
});
