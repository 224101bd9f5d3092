/** What sending one message through the Graph API came to. */
export type SendOutcome =
  | { ok: true; wamid: string } |
  { ok: false; retryable: boolean; code: string; message: string; retryAfterSeconds?: number };

/** Graph error codes worth retrying (rate limits, transient) and never worth retrying. */
const RETRYABLE = new Set([130429, 131056, 131000, 1, 2, 131016, 131057, 80007, 4]);

export interface OutgoingMessage {
  phoneNumberId: string;
  accessToken: string;
  to: string;
  payload: Record<string, unknown>;
}

export interface Sender {
  send(message: OutgoingMessage): Promise<SendOutcome>;
}

/**
 * A business-scoped user id (`CC.<alnum>`, parent ids `CC.ENT.<alnum>`): a username user whose
 * number WhatsApp withholds. Sends to them use `recipient` instead of `to` (Meta "BSUID").
 */
export const isBsuid = (contact: string) => /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]+$/.test(contact);

/**
 * The JSON body of a send. A payload that is not a message (a read receipt: `{status: 'read',
 * message_id}`) is sent as it is, with `messaging_product` only.
 */
export function graphMessageBody(message: OutgoingMessage): Record<string, unknown> {
  // Keys of wabase's own (`wabase_fingerprint`, what idempotency compares) are not Meta's.
  const payload = Object.fromEntries(Object.entries(message.payload).filter(([key]) => !key.startsWith('wabase_')));
  if (payload.status === 'read') return { messaging_product: 'whatsapp', ...payload };
  const to = isBsuid(message.to) ? { recipient: message.to } : { to: message.to };
  return { messaging_product: 'whatsapp', recipient_type: 'individual', ...to, ...payload };
}

/** Sends through `POST /{version}/{phone_number_id}/messages` with the connection's token. */
export function graphSender(baseUrl: string, version: string, timeoutMs = 10_000): Sender {
  return {
    async send(message) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/${version}/${encodeURIComponent(message.phoneNumberId)}/messages`, {
          method: 'POST',
          headers: { 'authorization': `Bearer ${message.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(graphMessageBody(message)),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return { ok: false, retryable: true, code: 'network', message: `Graph API unreachable: ${(error as Error).message}` };
      }
      const body = (await response.json().catch(() => ({}))) as {
        messages?: { id?: string }[];
        error?: { code?: number; message?: string; error_data?: { details?: string } };
      };
      const wamid = body.messages?.[0]?.id;
      if (response.ok && wamid) return { ok: true, wamid };
      // A read receipt answers {success: true}: its "id" is the message it marked read.
      if (response.ok && message.payload.status === 'read' && (body as { success?: unknown }).success === true) {
        return { ok: true, wamid: String(message.payload.message_id) };
      }
      const code = body.error?.code;
      const text = body.error?.error_data?.details ?? body.error?.message ?? `HTTP ${response.status}`;
      const retryable = response.status >= 500 || response.status === 429 || (code !== undefined && RETRYABLE.has(code));
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        ok: false,
        retryable,
        code: code === undefined ? `http_${response.status}` : String(code),
        message: text,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
      };
    },
  };
}

/** Records a dry-run id instead of sending (WA_SEND_MODE=dry-run, the default without credentials). */
export const dryRunSender: Sender = {
  async send() {
    return { ok: true, wamid: `dryrun.${crypto.randomUUID()}` };
  },
};

/** Exponential backoff with full jitter: about 2^attempt seconds, at most 10 minutes. 131056 (pair rate limit) uses 4^n. */
export function backoffSeconds(attempt: number, code: string, random = Math.random): number {
  const base = code === '131056' ? 4 ** attempt : 2 ** attempt;
  return Math.max(1, Math.round(Math.min(600, base) * (0.5 + random() / 2)));
}
