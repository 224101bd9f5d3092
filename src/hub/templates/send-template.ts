import type { Pool } from '../../db/pool.js';
import type { UserClaims } from '../../db/with-user.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { queueOutbound } from '../outbox/enqueue.js';
import type { QueuedSend } from '../send-text.js';
import { type TemplateComponent, type TemplateParameters, validateTemplateParameters } from './validate.js';

export interface SendTemplateInput {
  workspaceId: string;
  threadId: string;
  name: string;
  language: string;
  parameters: TemplateParameters;
  idempotencyKey?: string | null | undefined;
}

/**
 * Queues an approved template (issue 17): allowed inside and outside the customer service window.
 * In the send's transaction: the template must be known for the thread's connection's WABA and
 * APPROVED (404 template_not_found, 409 template_not_approved with its status, 409
 * connection_has_no_waba), and the parameters must fit its components (400
 * template_parameters_mismatch naming the field). Then through the outbox like send-text.
 */
export function queueTemplate(pool: Pool, user: UserClaims, input: SendTemplateInput, ratePerMinute: number): Promise<QueuedSend> {
  return queueOutbound(pool, user, {
    workspaceId: input.workspaceId,
    threadId: input.threadId,
    idempotencyKey: input.idempotencyKey,
    payload: {},
    fingerprint: JSON.stringify(['template', input.name, input.language, input.parameters]),
    needsWindow: false,
    message: null,
    async check(client, _thread, connection) {
      const waba = (await client.query<{ waba_id: string | null }>('select waba_id from public.wa_phone_numbers where id = $1', [connection.id])).rows[0]?.waba_id;
      if (!waba) throw new ConflictError('connection_has_no_waba', 'The WhatsApp connection of this thread has no WABA id: templates belong to a WABA');
      const template = (await client.query<{ status: string; components: TemplateComponent[] }>(
        `select status, components from public.wa_message_templates
         where workspace_id = $1 and waba_id = $2 and name = $3 and language = $4 for share`,
        [input.workspaceId, waba, input.name, input.language],
      )).rows[0];
      if (!template) {
        throw new NotFoundError('template_not_found', `name: no template "${input.name}" in language ${input.language} on this number's WhatsApp Business Account (sync templates first)`);
      }
      if (template.status !== 'APPROVED') {
        throw new ConflictError('template_not_approved', `Template "${input.name}" (${input.language}) is ${template.status}: only APPROVED templates can be sent`);
      }
      const { components, preview } = validateTemplateParameters(template.components, input.parameters);
      return {
        payload: { type: 'template', template: { name: input.name, language: { code: input.language }, components } },
        message: { type: 'template', text: preview || `[template ${input.name}]` },
      };
    },
  }, ratePerMinute);
}
