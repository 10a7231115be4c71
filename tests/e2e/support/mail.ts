import { expect } from '@playwright/test';

/** The local stack's inbox speaks a subset of Mailpit's API, so this also works with the CLI's. */
interface MessageSummary {
	ID: string;
	To: { Address: string }[];
	Subject: string;
	Created: string;
}

function inboxUrl(): string {
	const url = process.env.E2E_INBOX_URL;
	if (!url) {
		throw new Error('E2E_INBOX_URL is not set; the global setup starts the stack');
	}
	return url;
}

export async function messagesTo(address: string): Promise<MessageSummary[]> {
	const response = await fetch(`${inboxUrl()}/api/v1/messages`);
	const { messages } = (await response.json()) as { messages: MessageSummary[] };
	return messages.filter((m) => m.To.some((to) => to.Address.toLowerCase() === address));
}

export interface ReceivedMail {
	subject: string;
	text: string;
	html: string;
	link: string;
}

/**
 * Waits until `address` has received `count` messages and returns the newest, with the sign-in
 * link read from its plain-text part.
 */
export async function waitForMail(address: string, count = 1): Promise<ReceivedMail> {
	await expect
		.poll(async () => (await messagesTo(address)).length, {
			message: `waiting for email number ${count} to ${address}`
		})
		.toBeGreaterThanOrEqual(count);

	const [newest] = await messagesTo(address);
	const response = await fetch(`${inboxUrl()}/api/v1/message/${newest.ID}`);
	const message = (await response.json()) as { Subject: string; Text: string; HTML: string };
	const link = /https?:\/\/\S+\/auth\/confirm\?\S+/.exec(message.Text)?.[0];
	if (!link) {
		throw new Error(`no sign-in link in the email to ${address}`);
	}
	return { subject: message.Subject, text: message.Text, html: message.HTML, link };
}
