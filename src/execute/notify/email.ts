/** A mail server with its templates filled and its password read from the secret it names. */
export interface SmtpConnection {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  timeoutMs: number;
}

export interface EmailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/**
 * Sends one email over SMTP with nodemailer (loaded on first use: runs that send no email never load it), within
 * the server's deadline. Throws one line naming the server on failure: refused, timed out, rejected.
 */
export async function sendEmail(server: SmtpConnection, message: EmailMessage, signal: AbortSignal): Promise<void> {
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    ...(server.user !== undefined ? { auth: { user: server.user, pass: server.password ?? '' } } : {}),
    connectionTimeout: server.timeoutMs,
    greetingTimeout: server.timeoutMs,
    socketTimeout: server.timeoutMs,
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // nodemailer's own timeouts cover each wait; this covers the whole exchange, and the run being stopped.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${server.timeoutMs / 1000}s`));
    }, server.timeoutMs);
    onAbort = () => {
      reject(new Error('the run was interrupted'));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([transport.sendMail(message), deadline]);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new Error(`SMTP ${server.host}:${server.port}: ${text.split('\n')[0] ?? ''}`, { cause: error });
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    transport.close();
  }
}
