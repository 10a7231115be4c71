/**
 * Port helpers. Every service listens on 127.0.0.1 only: the stack is for one developer's
 * machine and must never be reachable from the network.
 */
import { createServer, type Server } from 'node:net';

export const LOOPBACK = '127.0.0.1';

export class PortInUseError extends Error {
	readonly port: number;

	constructor(port: number, service: string) {
		super(
			`Port ${port} (${service}) is already in use on ${LOOPBACK}. Stop whatever listens there ` +
				`(\`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\` shows it) or choose another port.`
		);
		this.name = 'PortInUseError';
		this.port = port;
	}
}

/** Binds a server (HTTP or SMTP alike) to 127.0.0.1, turning EADDRINUSE into a clear error. */
export function listenOnLoopback(server: Server, port: number, service: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) => {
			reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, service) : error);
		};

		server.once('error', onError);
		server.listen(port, LOOPBACK, () => {
			server.off('error', onError);
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : port);
		});
	});
}

/** A port nothing listens on right now, for services (Postgres) that cannot bind port 0. */
export async function findFreePort(): Promise<number> {
	const probe = createServer();
	const port = await listenOnLoopback(probe, 0, 'probe');
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}

export async function assertPortFree(port: number, service: string): Promise<void> {
	const probe = createServer();
	await listenOnLoopback(probe, port, service);
	await new Promise<void>((resolve) => probe.close(() => resolve()));
}
