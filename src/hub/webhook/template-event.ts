import { eventTime } from './events.js';

type Json = Record<string, unknown>;
const text = (value: unknown): string | null =>
  (typeof value === 'string' && value ? value : typeof value === 'number' ? String(value) : null);

/**
 * The columns of wa_message_templates a template webhook changes, as ingest_meta_webhook_events
 * takes them (migration 20261202160200): `message_template_status_update` sets the status (and
 * category, reason), `message_template_quality_update` the quality, `template_category_update`
 * the category. `at` is the entry's `time`: an older event never overrides a newer one.
 */
export function templateEventFields(field: string, value: Json, at: unknown): Record<string, unknown> {
  const common = {
    field,
    template_id: text(value.message_template_id),
    name: text(value.message_template_name),
    language: text(value.message_template_language),
    at: eventTime(at).toISOString(),
  };
  if (field === 'message_template_status_update') {
    const reason = text(value.reason);
    return {
      ...common,
      event: text(value.event)?.toUpperCase() ?? null,
      category: text(value.message_template_category),
      reason: reason && reason !== 'NONE' ? reason : null,
    };
  }
  if (field === 'message_template_quality_update') return { ...common, quality: text(value.new_quality_score) };
  return { ...common, category: text(value.new_category) ?? text(value.correct_category) };
}
