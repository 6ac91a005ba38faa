import type { Config } from '../../core/config/schema.ts';
import type { Requested } from '../forms/subscription-form.ts';
import { escapeHtml } from './escape.ts';

/**
 * "Topics: …. Frequency: …. Time zone: …." as one escaped paragraph, topics by their config names,
 * and the personal alert a confirmation link creates, if any.
 */
export function settingsSummary(config: Config, settings: Requested): string {
  const topics = settings.topics.map((id) => config.topics.find((t) => t.id === id)?.name ?? id).join(', ') || 'none';
  const alert = settings.alert ? `</p>\n<p>Your alert: <strong>${escapeHtml(settings.alert.name)}</strong>, query <code>${escapeHtml(settings.alert.query)}</code>.` : '';
  return `<p>Topics: ${escapeHtml(topics)}. Frequency: ${escapeHtml(settings.frequency)}. Time zone: ${escapeHtml(settings.timezone)}.${alert}</p>`;
}
