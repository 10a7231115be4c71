import { render } from 'svelte/server';
import type { Audience } from '../auth/next-path.ts';
import MagicLinkEmail from './MagicLinkEmail.svelte';

export interface RenderedEmail {
	subject: string;
	html: string;
	text: string;
}

const destinations: Record<Audience, string> = {
	portal: 'your client portal',
	app: 'the studio workspace'
};

export function renderMagicLinkEmail(input: {
	studioName: string;
	link: string;
	expiresInMinutes: number;
	audience: Audience;
}): RenderedEmail {
	const destination = destinations[input.audience];
	const { body } = render(MagicLinkEmail, { props: { ...input, destination } });

	return {
		subject: `Your sign-in link for ${input.studioName}`,
		html: `<!doctype html><html><body style="margin:0">${body}</body></html>`,
		text: [
			input.studioName,
			'',
			`Here is your link to sign in to ${destination}:`,
			input.link,
			'',
			`The link works once and expires in ${input.expiresInMinutes} minutes.`,
			'If you did not ask for it, you can ignore this email.'
		].join('\n')
	};
}
