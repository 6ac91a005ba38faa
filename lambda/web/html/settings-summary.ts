import type { Config } from '../../core/config/schema.ts';
import type { Preferences } from '../forms/subscription-form.ts';
import { escapeHtml } from './escape.ts';

/** "Topics: …. Frequency: …. Time zone: …." as one escaped paragraph, topics by their config names. */
export function settingsSummary(config: Config, settings: Preferences): string {
  const topics = settings.topics.map((id) => config.topics.find((t) => t.id === id)?.name ?? id).join(', ');
  return `<p>Topics: ${escapeHtml(topics)}. Frequency: ${escapeHtml(settings.frequency)}. Time zone: ${escapeHtml(settings.timezone)}.</p>`;
}
